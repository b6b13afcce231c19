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
        BilinearUpsampler.alignedCorners(2, 2, 3, 3).upsample(Tensor.of(new float[] {0, 1, 2, 3}, 4), 0, out);
        assertArrayEquals(new float[] {0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3}, out, 1e-6f);

        // 2 -> 4 samples at 0, 1/3, 2/3, 1 (OpenCV's half-pixel convention would give 0, 0.25, 0.75, 1)
        float[] row = new float[4];
        BilinearUpsampler.alignedCorners(1, 2, 1, 4).upsample(Tensor.of(new float[] {9, 0, 3}, 3), 1, row);
        assertArrayEquals(new float[] {0, 1, 2, 3}, row, 1e-6f);
    }

    @Test
    void upsamplesWithHalfPixelCentresLikeTorchInterpolateWithoutAlignedCorners() {
        // 3 -> 6: src = max(0, (dst + 0.5) / 2 - 0.5) = 0, .25, .75, 1.25, 1.75, 2.25 (clamped to the last value)
        float[] row = new float[6];
        BilinearUpsampler.halfPixel(1, 3, 1, 6).upsample(Tensor.of(new float[] {0, 4, 1}, 3), 0, row);
        assertArrayEquals(new float[] {0, 1, 3, 3.25f, 1.75f, 1}, row, 1e-6f);
        // 2x2 -> 4x4: the first row samples source row 0, the second 0.75 of row 0 and 0.25 of row 1
        float[] square = new float[16];
        BilinearUpsampler.halfPixel(2, 2, 4, 4).upsample(Tensor.of(new float[] {0, 4, 8, 12}, 4), 0, square);
        assertArrayEquals(new float[] {0, 1, 3, 4}, java.util.Arrays.copyOfRange(square, 0, 4), 1e-6f);
        assertArrayEquals(new float[] {2, 3, 5, 6}, java.util.Arrays.copyOfRange(square, 4, 8), 1e-6f);
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
    void needsOnlyActivationsAndDocumentsItsDefaults() {
        assertEquals(Set.of(Capability.ACTIVATIONS), new ScoreCam().requires());
        assertTrue(new ScoreCam().options().get("batch-size").contains("default 16"));
        assertTrue(new ScoreCam().options().get("channels").contains("default: all channels"));
        assertTrue(new ScoreCam().options().get("fast").contains("channels=32"));
    }

    /** Four channels of 2x2 whose variances are 0, 4, 1 and 16 (values m +- d). */
    private static Tensor fourChannels() {
        return Tensor.copyOf(new float[] {5, 5, 5, 5, 0, 4, 0, 4, 1, 3, 3, 1, -4, 4, 4, -4}, new int[] {1, 4, 2, 2});
    }

    @Test
    void fastModeScoresOnlyTheMostVaryingChannelsWithASoftmaxOverThem() {
        Tensor acts = fourChannels();
        assertArrayEquals(new int[] {1, 3}, ScoreCam.mostVarying(acts.toArray(), 4, 2));
        assertArrayEquals(new int[] {1, 2, 3}, ScoreCam.mostVarying(acts.toArray(), 4, 3));
        Random random = new Random(11);
        Tensor input = random(random, 1, 3, 4, 4);
        float[] v = random(random, 48).toArray();
        FakeProbe probe = FakeProbe.builder().input(input).scoreInputs(FakeProbe.linear(v, 0.5)).build();
        float[] exact = new ScoreCam().compute(layer(acts, FakeProbe.builder().input(input)
                .scoreInputs(FakeProbe.linear(v, 0.5)).build(), Map.of())).maps().toArray();

        float[] fast = new ScoreCam().compute(layer(acts, probe, Map.of("channels", "2", "batch-size", "1")))
                .maps().toArray();

        assertEquals(List.of(1, 1), probe.batchSizes(), "one pass per scored channel");
        for (int p = 0; p < 4; p++) {
            assertEquals(0f, fast[p], "channel 0 (variance 0) is not scored");
            assertEquals(0f, fast[8 + p], "channel 2 (variance 1) is not scored");
        }
        // the exact weights of channels 1 and 3, renormalised over the two: their scores are the same passes
        float w1 = exact[5] / 4, w3 = exact[13] / 4;
        assertEquals(w1 / (w1 + w3), fast[5] / 4, 1e-5f);
        assertEquals(w3 / (w1 + w3), fast[13] / 4, 1e-5f);
    }

    @Test
    void fastPresetScoresThirtyTwoChannelsAndMoreChannelsThanTheLayerHasIsExact() {
        Random random = new Random(2);
        Tensor acts = random(random, 1, 40, 2, 2);
        Tensor input = random(random, 1, 3, 3, 3);
        float[] v = random(random, 27).toArray();
        FakeProbe fast = FakeProbe.builder().input(input).scoreInputs(FakeProbe.linear(v, 0)).build();
        new ScoreCam().compute(layer(acts, fast, Map.of("fast", "TRUE")));
        assertEquals(32, fast.batchSizes().stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of(16, 16), fast.batchSizes());

        float[] exact = new ScoreCam().compute(layer(acts,
                FakeProbe.builder().input(input).scoreInputs(FakeProbe.linear(v, 0)).build(), Map.of()))
                .maps().toArray();
        float[] all = new ScoreCam().compute(layer(acts,
                FakeProbe.builder().input(input).scoreInputs(FakeProbe.linear(v, 0)).build(),
                Map.of("channels", "40", "fast", "false"))).maps().toArray();
        assertArrayEquals(exact, all, 0f);
    }

    @Test
    void malformedFastOptionsAreRefusedNamingTheOption() {
        Tensor acts = fourChannels();
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(new float[12], new int[] {1, 3, 2, 2})).build();
        for (Map<String, String> bad : List.of(Map.of("fast", "yes"), Map.of("channels", "0"),
                Map.of("channels", "few"), Map.of("fast", "true", "channels", "8"))) {
            CamException e = assertThrows(CamException.class,
                    () -> new ScoreCam().compute(layer(acts, probe, bad)), bad.toString());
            assertTrue(e.getMessage().contains(bad.containsKey("fast") ? "fast" : "channels"), e.getMessage());
        }
    }
}
