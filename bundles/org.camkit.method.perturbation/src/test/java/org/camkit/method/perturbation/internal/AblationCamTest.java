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
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class AblationCamTest {

    private static final int C = 4, H = 2, W = 3, AREA = H * W;

    /** Non-negative activations [1, C, H, W] whose first value is 0 (a ReLU output). */
    private static float[] reluActivations(Random random, int channels) {
        float[] a = new float[channels * AREA];
        for (int i = 1; i < a.length; i++) {
            a[i] = random.nextFloat() * 2 + 0.1f;
        }
        return a;
    }

    private static float mean(float[] a, int k) {
        float sum = 0;
        for (int p = 0; p < AREA; p++) {
            sum += a[k * AREA + p];
        }
        return sum / AREA;
    }

    private static float[] weightsOf(float[] maps, float[] a, int channels) {
        float[] w = new float[channels];
        for (int k = 0; k < channels; k++) {
            w[k] = maps[k * AREA + 1] / a[k * AREA + 1];
        }
        return w;
    }

    private static float[] run(float[] a, int channels, Map<String, String> options, FakeProbe probe) {
        Tensor acts = Tensor.copyOf(a, new int[] {1, channels, H, W});
        float[] forward = probe.scoreFromLayer(0, "layer", acts); // the forward pass's score, recorded as row 0
        return new AblationCam().compute(new LayerData("layer", acts, null, forward, probe, options)).maps()
                .toArray();
    }

    private static FakeProbe probe(FakeProbe.Scorer head) {
        return FakeProbe.builder().input(Tensor.copyOf(new float[3], new int[] {1, 3, 1, 1})).scoreFromLayer(head).build();
    }

    @Test
    void zeroAblationOnAGapLinearHeadGivesTheClosedFormWeights() {
        Random random = new Random(11);
        float[] a = reluActivations(random, C);
        float[] head = {0.8f, -0.5f, 1.3f, 0.4f};
        for (float bias : new float[] {0f, 0.7f}) {
            // y = sum_k W_k mean(A_k) + b; ablating k to 0 removes W_k mean(A_k): w_k = W_k mean(A_k) / y
            float y = bias;
            for (int k = 0; k < C; k++) {
                y += head[k] * mean(a, k);
            }
            float[] expected = new float[C];
            for (int k = 0; k < C; k++) {
                expected[k] = head[k] * mean(a, k) / y;
            }
            FakeProbe probe = probe(FakeProbe.gapLinear(head, bias, AREA));
            assertArrayEquals(expected, weightsOf(run(a, C, Map.of(), probe), a, C), 1e-5f, "bias " + bias);
        }
    }

    @Test
    void ablationValueIsZeroOrTheImageMinimumMinusTenMillion() {
        assertEquals(0f, AblationCam.ablationValue(new float[] {3, 0, 1}));
        assertEquals(0.5f - 1e7f, AblationCam.ablationValue(new float[] {3, 0.5f, 1}));
        assertEquals(-2f - 1e7f, AblationCam.ablationValue(new float[] {-2, 0.5f, 1}));

        Random random = new Random(12);
        float[] a = reluActivations(random, C);
        a[0] = 0.5f; // no zero left: the minimum over all channels and positions is positive
        float min = Float.POSITIVE_INFINITY;
        for (float v : a) {
            min = Math.min(min, v);
        }
        FakeProbe probe = probe(FakeProbe.gapLinear(new float[] {1, 1, 1, 1}, 0, AREA));
        run(a, C, Map.of(), probe);
        assertEquals(1 + C, probe.layerRows().size(), "the original row, then one ablated row per channel");
        assertArrayEquals(a, probe.layerRows().get(0));
        for (int k = 0; k < C; k++) {
            float[] row = probe.layerRows().get(1 + k);
            for (int j = 0; j < row.length; j++) {
                assertEquals(j / AREA == k ? min - 1e7f : a[j], row[j], "row " + k + " value " + j);
            }
        }
    }

    @Test
    void batchesChannelsAndReportsProgressPerBatch() {
        Random random = new Random(13);
        float[] a = reluActivations(random, 5);
        FakeProbe probe = probe(FakeProbe.gapLinear(new float[] {1, 2, 3, 4, 5}, 0, AREA));
        run(a, 5, Map.of("batch-size", "2"), probe);
        assertEquals(List.of(1, 2, 2, 1), probe.batchSizes());
        assertEquals(3, probe.progress().size());
        assertArrayEquals(new int[] {3, 3}, probe.progress().get(2)); // batches of 2, 2 and 1
    }

    @Test
    void unchangedWhenTheTargetScoreIsScaled() {
        Random random = new Random(14);
        float[] a = reluActivations(random, C);
        float[] head = {0.8f, -0.5f, 1.3f, 0.4f};
        float[] base = run(a, C, Map.of(), probe(FakeProbe.gapLinear(head, 0.3, AREA)));
        float c = 3.5f;
        float[] scaled = new float[C];
        for (int k = 0; k < C; k++) {
            scaled[k] = head[k] * c;
        }
        float[] maps = run(a, C, Map.of(), probe(FakeProbe.gapLinear(scaled, 0.3 * c, AREA)));
        assertArrayEquals(base, maps, 1e-5f);
    }

    @Test
    void ratioBelowOneAblatesTheExtremeChannelsAndLeavesTheOthersAtWeightZero() {
        // 4 x 4 positions; channels 0-3 live in the top-left 2 x 2 block (the object), 4-5 outside it, and 6-7
        // (faint) cover the left half: their objectness scores are 1, 0 and 0.5.
        int area = 16, c = 8;
        float[] a = new float[c * area];
        for (int p = 0; p < area; p++) {
            boolean block = p / 4 < 2 && p % 4 < 2;
            boolean left = p % 4 < 2;
            for (int k = 0; k < 4; k++) {
                a[k * area + p] = block ? 1 + k : 0;
            }
            for (int k = 4; k < 6; k++) {
                a[k * area + p] = block ? 0 : k - 3;
            }
            for (int k = 6; k < 8; k++) {
                a[k * area + p] = left ? 0.01f * (k - 5) : 0;
            }
        }
        int[] chosen = AblationRanking.select(a, c, area, 0.25);
        assertEquals(4, chosen.length);
        assertEquals(2, java.util.Arrays.stream(chosen).filter(k -> k < 4).count(), "two object channels");
        assertTrue(java.util.Arrays.stream(chosen).anyMatch(k -> k == 4));
        assertTrue(java.util.Arrays.stream(chosen).anyMatch(k -> k == 5));

        float[] head = {1, 1, 1, 1, 1, 1, 1, 1};
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(new float[3], new int[] {1, 3, 1, 1}))
                .scoreFromLayer(FakeProbe.gapLinear(head, 0, area)).build();
        Tensor acts = Tensor.copyOf(a, new int[] {1, c, 4, 4});
        float[] forward = probe.scoreFromLayer(0, "layer", acts);
        float[] maps = new AblationCam().compute(new LayerData("layer", acts, null, forward, probe,
                Map.of("ratio-channels-to-ablate", "0.25"))).maps().toArray();
        assertEquals(1 + 4, probe.layerRows().size());
        for (int k = 0; k < c; k++) {
            final int channel = k;
            boolean ablated = java.util.Arrays.stream(chosen).anyMatch(j -> j == channel);
            float sum = 0;
            for (int p = 0; p < area; p++) {
                sum += Math.abs(maps[k * area + p]);
            }
            assertEquals(!ablated, sum == 0f, "channel " + k + (ablated ? " is ablated" : " is not ablated"));
        }
    }

    @Test
    void malformedOptionsAreRefusedNamingTheOption() {
        float[] a = reluActivations(new Random(1), C);
        FakeProbe probe = probe(FakeProbe.gapLinear(new float[] {1, 1, 1, 1}, 0, AREA));
        for (String bad : new String[] {"0", "1.5", "half"}) {
            CamException e = assertThrows(CamException.class,
                    () -> run(a, C, Map.of("ratio-channels-to-ablate", bad), probe));
            assertTrue(e.getMessage().contains("ratio-channels-to-ablate"), e.getMessage());
        }
        CamException e = assertThrows(CamException.class, () -> run(a, C, Map.of("batch-size", "0"), probe));
        assertTrue(e.getMessage().contains("batch-size"), e.getMessage());
    }

    @Test
    void aZeroTargetScoreIsRefused() {
        float[] a = reluActivations(new Random(2), C);
        assertThrows(CamException.class,
                () -> run(a, C, Map.of(), probe(FakeProbe.gapLinear(new float[C], 0, AREA))));
    }

    @Test
    void needsActivationsAndForwardFromLayer() {
        assertEquals(Set.of(Capability.ACTIVATIONS, Capability.FORWARD_FROM_LAYER), new AblationCam().requires());
        assertTrue(new AblationCam().options().get("batch-size").contains("default 32"));
        assertTrue(new AblationCam().options().get("ratio-channels-to-ablate").contains("default 1.0"));
    }
}
