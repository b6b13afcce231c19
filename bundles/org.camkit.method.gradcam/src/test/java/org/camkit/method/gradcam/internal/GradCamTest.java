package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.HAND_A;
import static org.camkit.method.gradcam.internal.Fixtures.HAND_G;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class GradCamTest {

    @Test
    void contributionsAreActivationsTimesTheMeanGradientOfTheirChannel() {
        // w0 = (0.5 - 1 - 1 + 2) / 4 = 0.125 -> 0.125 * [1, -2, 3, 4]
        // w1 = (0 + 1 + 0 - 2) / 4 = -0.25   -> -0.25 * [2, 3, 1, 1]
        float[] expected = {0.125f, -0.25f, 0.375f, 0.5f, -0.5f, -0.75f, -0.25f, -0.25f};
        assertArrayEquals(expected, contributions(new GradCam(), layer(HAND_A, HAND_G)), 1e-6f);
    }

    @Test
    void weightsAreTheSpatialMeanOfGradientsPerImage() {
        // two images, one channel of 1x2: activations {1, 2}; gradients {1, 3} -> w = 2; {-2, 0} -> w = -1
        Tensor activations = tensor(new int[] {2, 1, 1, 2}, 1, 2, 1, 2);
        Tensor gradients = tensor(new int[] {2, 1, 1, 2}, 1, 3, -2, 0);
        assertArrayEquals(new float[] {2, 4, -1, -2}, contributions(new GradCam(), layer(activations, gradients)),
                1e-6f);
    }
}
