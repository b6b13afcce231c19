package org.camkit.method.perturbation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class ScoreCamTest {

    private static Tensor random(Random random, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.copyOf(v, shape);
    }

    private static LayerData layer(Tensor acts, FakeProbe probe, Map<String, String> options) {
        return new LayerData("layer", acts, null, new float[acts.dim(0)], probe, options);
    }

    @Test
    void upsamplesWithAlignedCornersLikeTorchUpsamplingBilinear2d() {
        float[] out = new float[9];
        new AlignCornersUpsampler(2, 2, 3, 3).upsample(Tensor.of(new float[] {0, 1, 2, 3}, 4), 0, out);
        assertArrayEquals(new float[] {0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3}, out, 1e-6f);

        // 2 -> 4 samples at 0, 1/3, 2/3, 1 (OpenCV's half-pixel convention would give 0, 0.25, 0.75, 1)
        float[] row = new float[4];
        new AlignCornersUpsampler(1, 2, 1, 4).upsample(Tensor.of(new float[] {9, 0, 3}, 3), 1, row);
        assertArrayEquals(new float[] {0, 1, 2, 3}, row, 1e-6f);
    }

    @Test
    void weightsAreTheSoftmaxOfTheMaskedInputScoresAndSumToOne() {
        // channel 0 upsamples to {0, .5, 1, 1, 1.5, 2, 2, 2.5, 3}: mask sum 13.5 / 3 = 4.5; channel 2 mirrors it;
        // channel 1 is constant: its mask is 0 / (0 + 1e-8) = 0 everywhere
        Tensor acts = Tensor.copyOf(new float[] {0, 1, 2, 3, 5, 5, 5, 5, 3, 2, 1, 0}, new int[] {1, 3, 2, 2});
        float[] x = new float[27];
        for (int b = 0; b < 3; b++) {
            java.util.Arrays.fill(x, b * 9, b * 9 + 9, b + 1);
        }
        float[] v = new float[27];
        java.util.Arrays.fill(v, 0.1f);
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, new int[] {1, 3, 3, 3}))
                .scoreInputs(FakeProbe.linear(v, 0)).build();

        float[] maps = new ScoreCam().compute(layer(acts, probe, Map.of())).maps().toArray();

        double s = 0.1 * (1 + 2 + 3) * 4.5; // the score of channels 0 and 2; channel 1 scores 0
        double z = 2 * Math.exp(s) + 1;
        float[] weights = {maps[3] / 3, maps[4] / 5, maps[8] / 3};
        assertArrayEquals(new float[] {(float) (Math.exp(s) / z), (float) (1 / z), (float) (Math.exp(s) / z)},
                weights, 1e-5f);
        assertEquals(1f, weights[0] + weights[1] + weights[2], 1e-6f);
    }

    @Test
    void batchSizeChangesNeitherTheResultNorTheScoredRows() {
        Random random = new Random(3);
        Tensor acts = random(random, 2, 7, 3, 3);
        Tensor input = random(random, 2, 3, 5, 5);
        float[] v = random(random, 75).toArray();
        float[] reference = null;
        for (int batch : new int[] {1, 3, 16}) {
            FakeProbe probe = FakeProbe.builder().input(input).scoreInputs(FakeProbe.linear(v, 0.2)).build();
            CamMaps maps = new ScoreCam().compute(layer(acts, probe, Map.of("batch-size", "" + batch)));
            if (reference == null) {
                reference = maps.maps().toArray();
            } else {
                assertArrayEquals(reference, maps.maps().toArray(), 1e-7f, "batch size " + batch);
            }
            int perImage = (7 + batch - 1) / batch;
            assertEquals(2 * perImage, probe.batchSizes().size(), "forward passes with batch size " + batch);
            assertEquals(2 * perImage, probe.progress().size(), "progress reports with batch size " + batch);
            assertArrayEquals(new int[] {2 * perImage, 2 * perImage},
                    probe.progress().get(probe.progress().size() - 1));
            assertEquals(14, probe.batchSizes().stream().mapToInt(Integer::intValue).sum());
        }
        assertEquals(CamMaps.Kind.SUM, new ScoreCam().compute(layer(acts,
                FakeProbe.builder().input(input).scoreInputs(FakeProbe.linear(v, 0)).build(), Map.of())).kind());
    }

    @Test
    void cancellationInProgressStopsScoring() {
        Random random = new Random(5);
        Tensor acts = random(random, 1, 10, 2, 2);
        FakeProbe probe = FakeProbe.builder().input(random(random, 1, 3, 4, 4))
                .scoreInputs(FakeProbe.linear(new float[48], 0)).cancelAfter(1).build();
        assertThrows(CamException.class, () -> new ScoreCam().compute(layer(acts, probe, Map.of("batch-size", "4"))));
        assertEquals(List.of(4), probe.batchSizes());
    }

    @Test
    void malformedBatchSizeIsRefusedNamingTheOption() {
        Tensor acts = Tensor.copyOf(new float[] {1}, new int[] {1, 1, 1, 1});
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(new float[3], new int[] {1, 3, 1, 1})).build();
        for (String bad : new String[] {"many", "0", "-2"}) {
            CamException e = assertThrows(CamException.class,
                    () -> new ScoreCam().compute(layer(acts, probe, Map.of("batch-size", bad))));
            assertTrue(e.getMessage().contains("batch-size"), e.getMessage());
        }
    }

    @Test
    void needsOnlyActivationsAndDocumentsItsDefault() {
        assertEquals(Set.of(Capability.ACTIVATIONS), new ScoreCam().requires());
        assertTrue(new ScoreCam().options().get("batch-size").contains("default 16"));
    }
}
