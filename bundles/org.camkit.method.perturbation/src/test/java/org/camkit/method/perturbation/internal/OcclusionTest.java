package org.camkit.method.perturbation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

/**
 * On a model linear in the pixels, {@code f(x) = sum V x}, occluding a window (to 0) drops the score by the sum of
 * {@code u(p) = sum_bands V x} over the window.
 */
class OcclusionTest {

    private final Random random = new Random(21);

    private float[] values(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static float[] contributions(float[] x, float[] v, int pixels) {
        float[] u = new float[pixels];
        for (int j = 0; j < x.length; j++) {
            u[j % pixels] += v[j] * x[j];
        }
        return u;
    }

    private static CamMaps occlude(FakeProbe probe, Map<String, String> options) {
        return new Occlusion().compute(new LayerData(null, null, null, new float[probe.input().dim(0)], probe,
                options));
    }

    @Test
    void onePixelPatchesGiveEachPixelItsLinearContribution() {
        int h = 4, w = 5, pixels = h * w;
        float[] x = values(3 * pixels);
        float[] v = values(3 * pixels);
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, new int[] {1, 3, h, w}))
                .scoreInputs(FakeProbe.linear(v, 0.5)).build();
        CamMaps maps = occlude(probe, Map.of("patch", "1", "stride", "1"));
        assertEquals(CamMaps.Kind.MAP, maps.kind());
        assertArrayEquals(new int[] {1, 1, h, w}, maps.maps().shape());
        assertArrayEquals(contributions(x, v, pixels), maps.maps().toArray(), 1e-5f);
    }

    @Test
    void eachPixelGetsTheMeanDropOfTheClippedWindowsCoveringIt() {
        int h = 5, w = 6, pixels = h * w, patch = 3, stride = 2;
        float[] x = values(3 * pixels);
        float[] v = values(3 * pixels);
        float[] u = contributions(x, v, pixels);
        // Captum: windows start at 0, 2, ... ceil((size - 3) / 2) + 1 times per axis; the last ones are clipped
        double[] sum = new double[pixels];
        int[] count = new int[pixels];
        for (int y0 = 0; y0 <= 2 * ((h - patch + 1) / 2); y0 += stride) {
            for (int x0 = 0; x0 <= 2 * ((w - patch + 1) / 2); x0 += stride) {
                double drop = 0;
                for (int y = y0; y < Math.min(h, y0 + patch); y++) {
                    for (int xx = x0; xx < Math.min(w, x0 + patch); xx++) {
                        drop += u[y * w + xx];
                    }
                }
                for (int y = y0; y < Math.min(h, y0 + patch); y++) {
                    for (int xx = x0; xx < Math.min(w, x0 + patch); xx++) {
                        sum[y * w + xx] += drop;
                        count[y * w + xx]++;
                    }
                }
            }
        }
        float[] expected = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            expected[p] = (float) (sum[p] / count[p]);
        }
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, new int[] {1, 3, h, w}))
                .scoreInputs(FakeProbe.linear(v, 0)).build();
        float[] map = occlude(probe, Map.of("patch", "3", "stride", "2", "batch-size", "4")).maps().toArray();
        assertArrayEquals(expected, map, 1e-5f);
        // 2 x 3 windows (the third column of windows clipped to 2 px), after the unoccluded image, in batches of 4
        assertEquals(java.util.List.of(1, 4, 2), probe.batchSizes());
        assertArrayEquals(new int[] {2, 2}, probe.progress().get(probe.progress().size() - 1)); // batches of 4 and 2
    }

    @Test
    void defaultPatchIsAFourteenthOfTheShorterSideAndStrideHalfOfIt() {
        // 28 x 30: patch 2, stride 1 -> 27 x 29 windows
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(new float[3 * 28 * 30], new int[] {1, 3, 28, 30}))
                .scoreInputs(FakeProbe.linear(new float[3 * 28 * 30], 0)).build();
        occlude(probe, Map.of());
        int batches = (27 * 29 + 31) / 32; // default batch size 32
        assertArrayEquals(new int[] {batches, batches}, probe.progress().get(probe.progress().size() - 1));
        assertTrue(new Occlusion().options().get("patch").contains("16 at 224"));
    }

    @Test
    void patchAndStrideOutOfRangeAreRefusedNamingTheOption() {
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(new float[48], new int[] {1, 3, 4, 4}))
                .scoreInputs(FakeProbe.linear(new float[48], 0)).build();
        for (Map<String, String> bad : java.util.List.of(Map.of("patch", "5"), Map.of("patch", "big"),
                Map.of("patch", "2", "stride", "3"), Map.of("stride", "0"), Map.of("batch-size", "x"))) {
            CamException e = assertThrows(CamException.class, () -> occlude(probe, bad));
            assertTrue(e.getMessage().contains(bad.containsKey("stride") ? "stride"
                    : bad.containsKey("patch") ? "patch" : "batch-size"), e.getMessage());
        }
    }

    @Test
    void needsNothingButTheInput() {
        assertTrue(new Occlusion().requires().isEmpty());
    }
}
