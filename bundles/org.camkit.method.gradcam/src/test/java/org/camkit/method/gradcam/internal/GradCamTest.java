package org.camkit.method.gradcam.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class GradCamTest {

    /** y_c = sum_k W[c][k] * mean_ij A_k, so dy_c/dA_k[i,j] = W[c][k] / (h*w) at every position. */
    private static Tensor gapLinearGradients(float[][] weights, int target, int channels, int h, int w) {
        float[] g = new float[channels * h * w];
        for (int k = 0; k < channels; k++) {
            for (int p = 0; p < h * w; p++) {
                g[k * h * w + p] = weights[target][k] / (h * w);
            }
        }
        return new Tensor(new int[] {1, channels, h, w}, g);
    }

    @Test
    void onAGapLinearHeadGradCamEqualsClassicCamDividedByArea() {
        int channels = 5, h = 3, w = 4;
        Random random = new Random(7);
        float[] a = new float[channels * h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() * 3;
        }
        float[][] weights = new float[2][channels];
        for (float[] row : weights) {
            for (int k = 0; k < channels; k++) {
                row[k] = random.nextFloat() * 2 - 1;
            }
        }
        Tensor activations = new Tensor(new int[] {1, channels, h, w}, a);
        Tensor map = new GradCam().compute(new LayerData("l", activations,
                gapLinearGradients(weights, 1, channels, h, w), new float[] {1}));

        float[] cam = new float[h * w];
        for (int k = 0; k < channels; k++) {
            for (int p = 0; p < h * w; p++) {
                cam[p] += weights[1][k] * a[k * h * w + p] / (h * w);
            }
        }
        assertArrayEquals(new int[] {1, h, w}, map.shape());
        assertArrayEquals(cam, map.data(), 1e-6f);
    }

    @Test
    void weightsAreTheSpatialMeanOfGradientsPerImage() {
        // two images, one channel of 1x2: activations {1, 2}; gradients {1, 3} -> w = 2; {-2, 0} -> w = -1
        Tensor activations = new Tensor(new int[] {2, 1, 1, 2}, new float[] {1, 2, 1, 2});
        Tensor gradients = new Tensor(new int[] {2, 1, 1, 2}, new float[] {1, 3, -2, 0});
        Tensor map = new GradCam().compute(new LayerData("l", activations, gradients, new float[] {1, 1}));
        assertArrayEquals(new float[] {2, 4, -1, -2}, map.data(), 1e-6f);
    }
}
