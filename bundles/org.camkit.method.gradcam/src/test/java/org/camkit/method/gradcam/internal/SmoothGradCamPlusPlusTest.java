package org.camkit.method.gradcam.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;
import org.camkit.spi.LayerGradients;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class SmoothGradCamPlusPlusTest {

    /**
     * One image of 2x1 input pixels (3 bands), one layer channel of 2 positions; the fake model's gradient at a noisy
     * copy is {@code g_p = first noisy input value of the copy + p} and its activations {@code 10 * (copy + 1)}.
     */
    @Test
    void weightsFollowTorchCamsFormulaWithTheMeanSquaredAndCubedGradientsAndTheLastCopysGradient() {
        Tensor input = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 1, 2);
        Tensor clean = Tensor.of(new float[] {2, -1}, 1, 1, 1, 2);
        List<Tensor> batches = new ArrayList<>();
        FakeProbe probe = FakeProbe.builder().input(input).layerGradients((image, layer, batch) -> {
            batches.add(batch);
            int copies = batch.dim(0);
            float[] g = new float[copies * 2];
            float[] a = new float[copies * 2];
            for (int m = 0; m < copies; m++) {
                for (int p = 0; p < 2; p++) {
                    g[m * 2 + p] = batch.get(m * 6) + p;
                    a[m * 2 + p] = 10 * (m + 1);
                }
            }
            return new LayerGradients(Tensor.of(a, copies, 1, 1, 2), Tensor.of(g, copies, 1, 1, 2),
                    new float[copies]);
        }).build();
        LayerData data = new LayerData("layer", clean, clean, new float[1], probe,
                Map.of("samples", "3", "std", "0.5", "seed", "0"));

        float[] contributions = Fixtures.contributions(new SmoothGradCamPlusPlus(), data);

        Tensor noisy = batches.get(0);
        assertEquals(3, noisy.dim(0));
        java.util.Random random = new java.util.Random(0);
        for (int m = 0; m < 3; m++) {
            for (int v = 0; v < 6; v++) {
                assertEquals(input.get(v) + (float) (0.5 * random.nextGaussian()), noisy.get(m * 6 + v), 0f,
                        "copy " + m + " value " + v + ": the input plus java.util.Random's noise, copy after copy");
            }
        }
        double[] g2 = new double[2];
        double[] g3 = new double[2];
        for (int m = 0; m < 3; m++) {
            for (int p = 0; p < 2; p++) {
                double g = noisy.get(m * 6) + p;
                g2[p] += g * g / 3;
                g3[p] += g * g * g / 3;
            }
        }
        double d = g3[0] * 2 + g3[1] * -1;
        double w = 0;
        for (int p = 0; p < 2; p++) {
            w += g2[p] / (2 * g2[p] + d + 1e-8) * Math.max(noisy.get(2 * 6) + p, 0);
        }
        // the weights multiply the last copy's activations (30), as torch-cam's hooks keep them
        assertArrayEquals(new float[] {(float) (w * 30), (float) (w * 30)}, contributions, 1e-4f);
    }

    @Test
    void badSamplesOrNoiseAreRefusedByName() {
        Tensor clean = Tensor.of(new float[] {1}, 1, 1, 1, 1);
        FakeProbe probe = FakeProbe.builder().input(Tensor.of(new float[3], 1, 3, 1, 1)).build();
        for (Map<String, String> bad : List.of(Map.of("samples", "0"), Map.of("std", "-1"))) {
            CamException e = assertThrows(CamException.class, () -> new SmoothGradCamPlusPlus().compute(
                    new LayerData("layer", clean, clean, new float[1], probe, bad)));
            assertTrue(e.getMessage().contains("smoothgradcam++ needs samples >= 1 and std >= 0"), e.getMessage());
        }
    }
}
