package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.channelSum;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.camkit.method.gradcam.internal.Fixtures.random;
import static org.camkit.method.gradcam.internal.Fixtures.scaled;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.camkit.spi.CamMethod;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** How the methods respond to the gradients scaled by {@code c > 0} (e.g. a target score multiplied by c). */
class GradientScalingTest {

    private static final int[] SHAPE = {2, 3, 4, 5};
    private static final float FACTOR = 3.5f;

    static Stream<CamMethod> linearInTheGradients() {
        return Stream.of(new GradCam(), new HiResCam(), new XGradCam(), new LayerCam(), new GradCamElementWise());
    }

    @ParameterizedTest
    @MethodSource("linearInTheGradients")
    void scalingTheGradientsScalesTheContributionsAndKeepsTheNormalisedMap(CamMethod method) {
        Random random = new Random(3);
        Tensor a = random(random, SHAPE, -1f, 2f);
        Tensor g = random(random, SHAPE, -1f, 1f);
        float[] base = contributions(method, layer(a, g));
        float[] scaled = contributions(method, layer(a, scaled(g, FACTOR)));
        for (int i = 0; i < base.length; i++) {
            assertEquals(FACTOR * base[i], scaled[i], 1e-5 * Math.abs(FACTOR * base[i]) + 1e-6);
        }
        int area = SHAPE[2] * SHAPE[3];
        float[] baseMap = channelSum(base, SHAPE);
        float[] scaledMap = channelSum(scaled, SHAPE);
        for (int n = 0; n < SHAPE[0]; n++) {
            assertArrayEquals(
                    MapProcessing.normalize(java.util.Arrays.copyOfRange(baseMap, n * area, (n + 1) * area)),
                    MapProcessing.normalize(java.util.Arrays.copyOfRange(scaledMap, n * area, (n + 1) * area)), 1e-5f);
        }
    }

    @Test
    void gradCamPlusPlusIsNotLinearInTheGradients() {
        // one channel, A = 1 everywhere (S = 4), constant g: w = 4 g^3 / (2 g^2 + 4 g^3 + 1e-6) ~ 4 g / (2 + 4 g)
        // g = 0.5 -> w = 0.5; g = 1 -> w = 4 / 6 = 0.6667, not 2 * 0.5
        Tensor a = tensor(new int[] {1, 1, 2, 2}, 1, 1, 1, 1);
        Tensor g = tensor(new int[] {1, 1, 2, 2}, 0.5f, 0.5f, 0.5f, 0.5f);
        assertEquals(0.5f, contributions(new GradCamPlusPlus(), layer(a, g))[0], 1e-5f);
        assertEquals(4f / 6, contributions(new GradCamPlusPlus(), layer(a, scaled(g, 2)))[0], 1e-5f);
    }

    @Test
    void gradCamPlusPlusIsLinearInTheGradientsWhereAChannelsActivationsSumToZero() {
        // S = 0: a = g^2 / (2 g^2 + 1e-6) ~ 1/2 for every g != 0, so w ~ sum ReLU(g) / 2 scales with c
        Tensor a = tensor(new int[] {1, 1, 2, 2}, 1, -1, 2, -2);
        Tensor g = tensor(new int[] {1, 1, 2, 2}, 0.4f, -0.7f, 0.9f, 0.2f);
        float[] base = contributions(new GradCamPlusPlus(), layer(a, g));
        float[] scaled = contributions(new GradCamPlusPlus(), layer(a, scaled(g, FACTOR)));
        assertEquals((0.4 + 0.9 + 0.2) / 2, base[0], 1e-5);
        for (int i = 0; i < base.length; i++) {
            assertEquals(FACTOR * base[i], scaled[i], 1e-4 * Math.abs(FACTOR * base[i]));
        }
    }

    @Test
    void gradCamPlusPlusKeepsWhichChannelsCountForNonNegativeActivations() {
        // A >= 0: a channel's weight is positive iff it has a positive gradient, for any c > 0
        Random random = new Random(9);
        Tensor a = random(random, SHAPE, 0.1f, 2f);
        float[] g = random(random, SHAPE, -1f, 1f).toArray();
        int area = SHAPE[2] * SHAPE[3];
        for (int p = 0; p < area; p++) {
            g[area + p] = -Math.abs(g[area + p]);  // image 0, channel 1: no positive gradient
        }
        Tensor gradients = tensor(SHAPE, g);
        for (float c : new float[] {0.01f, 1f, 100f}) {
            float[] contributions = contributions(new GradCamPlusPlus(), layer(a, scaled(gradients, c)));
            for (int channel = 0; channel < SHAPE[0] * SHAPE[1]; channel++) {
                float value = contributions[channel * area];
                if (channel == 1) {
                    assertEquals(0f, value, "c = " + c);
                } else {
                    assertTrue(value > 0, "c = " + c + ", channel " + channel + ": " + value);
                }
            }
        }
    }
}
