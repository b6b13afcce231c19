package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.HAND_A;
import static org.camkit.method.gradcam.internal.Fixtures.HAND_G;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class LayerCamTest {

    @Test
    void contributionsAreActivationsTimesThePositiveGradients() {
        // ReLU(G0) = [0.5, 0, 0, 2] -> * [1, -2, 3, 4] = [0.5, 0, 0, 8]
        // ReLU(G1) = [0, 1, 0, 0]   -> * [2, 3, 1, 1]  = [0, 3, 0, 0]
        float[] expected = {0.5f, 0, 0, 8, 0, 3, 0, 0};
        assertArrayEquals(expected, contributions(new LayerCam(), layer(HAND_A, HAND_G)), 1e-6f);
    }

    @Test
    void keepsNegativeActivationsWhereTheElementWiseVariantRectifiesTheProduct() {
        // A = [-1, -2], G = [1, -3]: LayerCAM ReLU(G) * A = [-1, 0]; element-wise ReLU(G * A) = [0, 6]
        Tensor a = tensor(new int[] {1, 1, 1, 2}, -1, -2);
        Tensor g = tensor(new int[] {1, 1, 1, 2}, 1, -3);
        assertArrayEquals(new float[] {-1, 0}, contributions(new LayerCam(), layer(a, g)), 1e-6f);
        assertArrayEquals(new float[] {0, 6}, contributions(new GradCamElementWise(), layer(a, g)), 1e-6f);
    }
}
