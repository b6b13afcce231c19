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

class GradCamPlusPlusTest {

    @Test
    void weightsSumThePositiveGradientsTimesAlpha() {
        // a = g^2 / (2 g^2 + S g^3 + 1e-6), w = sum ReLU(g) a
        // channel 0, S = 6: g = 0.5 -> a = 0.25 / (0.5 + 0.75 + 1e-6) = 0.19999984, ReLU(g) a = 0.09999992
        //                   g = -1 (twice) -> ReLU(g) = 0
        //                   g = 2 -> a = 4 / (8 + 48 + 1e-6) = 0.071428570, ReLU(g) a = 0.14285714
        //                   w0 = 0.24285706 (0.1 + 1/7 without the epsilon)
        // channel 1, S = 7: g = 0 (twice) -> a = 0; g = -2 -> ReLU(g) = 0
        //                   g = 1 -> a = 1 / (2 + 7 + 1e-6) = 0.11111110, w1 = 0.11111110
        float w0 = 0.24285706f, w1 = 0.11111110f;
        float[] expected = {w0, -2 * w0, 3 * w0, 4 * w0, 2 * w1, 3 * w1, w1, w1};
        assertArrayEquals(expected, contributions(new GradCamPlusPlus(), layer(HAND_A, HAND_G)), 1e-6f);
    }

    @Test
    void theEpsilonDampsAlphaForTinyGradients() {
        // S = 0 and g = 1e-3 everywhere: a = 1e-6 / (2e-6 + 0 + 1e-6) = 1/3 (it would be 1/2 without the epsilon)
        // w = 4 * 1e-3 * 1/3 = 1.3333e-3 -> contributions w * [1, -1, 2, -2]
        Tensor a = tensor(new int[] {1, 1, 2, 2}, 1, -1, 2, -2);
        Tensor g = tensor(new int[] {1, 1, 2, 2}, 1e-3f, 1e-3f, 1e-3f, 1e-3f);
        float w = 4e-3f / 3;
        assertArrayEquals(new float[] {w, -w, 2 * w, -2 * w}, contributions(new GradCamPlusPlus(), layer(a, g)),
                1e-9f);
    }

    @Test
    void zeroGradientsContributeNothingEvenWhenTheActivationSumOverflows() {
        // float32 S = 4 * 3e38 = +inf. Where g == 0, S g^3 = inf * 0 = NaN; pytorch-grad-cam's
        // np.where(grads != 0, aij, 0) sets those alphas to 0. Where g == 1, a = 1 / inf = 0; g == -1 is rectified.
        // So w = 0 and the contributions are 0, not NaN.
        Tensor a = tensor(new int[] {1, 1, 2, 2}, 3e38f, 3e38f, 3e38f, 3e38f);
        Tensor g = tensor(new int[] {1, 1, 2, 2}, 0, 1, 0, -1);
        assertArrayEquals(new float[] {0, 0, 0, 0}, contributions(new GradCamPlusPlus(), layer(a, g)));
    }

    @Test
    void aChannelWithoutGradientGetsWeightZero() {
        Tensor a = tensor(new int[] {1, 1, 1, 2}, 2, 5);
        Tensor g = tensor(new int[] {1, 1, 1, 2}, 0, 0);
        float[] c = contributions(new GradCamPlusPlus(), layer(a, g));
        assertEquals(0f, c[0]);
        assertEquals(0f, c[1]);
    }
}
