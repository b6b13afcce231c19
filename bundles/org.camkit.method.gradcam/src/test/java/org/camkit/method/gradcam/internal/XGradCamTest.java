package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.HAND_A;
import static org.camkit.method.gradcam.internal.Fixtures.HAND_G;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class XGradCamTest {

    @Test
    void weightsAreGradientsAveragedWithActivationShares() {
        // w0 = sum(G0 * A0) / sum(A0) = (0.5 + 2 - 3 + 8) / 6 = 1.25 -> 1.25 * [1, -2, 3, 4]
        // w1 = sum(G1 * A1) / sum(A1) = (0 + 3 + 0 - 2) / 7 = 1/7   -> [2, 3, 1, 1] / 7
        float[] expected = {1.25f, -2.5f, 3.75f, 5, 2f / 7, 3f / 7, 1f / 7, 1f / 7};
        assertArrayEquals(expected, contributions(new XGradCam(), layer(HAND_A, HAND_G)), 1e-6f);
    }

    @Test
    void anActivationSumOfZeroIsDividedByTheEpsilonNotByZero() {
        // A = [1, -1, 0, 0] sums to 0; sum(G * A) = 1 * 1 = 1 -> w = 1 / 1e-7 = 1e7 -> [1e7, -1e7, 0, 0]
        Tensor a = tensor(new int[] {1, 1, 2, 2}, 1, -1, 0, 0);
        Tensor g = tensor(new int[] {1, 1, 2, 2}, 1, 0, 0, 0);
        float[] c = contributions(new XGradCam(), layer(a, g));
        assertEquals(1e7, c[0], 10);
        assertEquals(-1e7, c[1], 10);
        assertEquals(0, c[2]);
    }

    @Test
    void aChannelOfZeroActivationsGetsWeightZeroNotNaN() {
        // sum(G * A) = 0, sum(A) = 0 -> w = 0 / 1e-7 = 0
        Tensor a = tensor(new int[] {1, 1, 1, 2}, 0, 0);
        Tensor g = tensor(new int[] {1, 1, 1, 2}, 5, -3);
        assertArrayEquals(new float[] {0, 0}, contributions(new XGradCam(), layer(a, g)));
    }
}
