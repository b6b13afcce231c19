package org.camkit.method.agnostic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partition SHAP's identities. On a model additive over the input's values, {@code f = sum_j V_j z_j} with
 * {@code z_j} the value the model sees (the image's where its cell is present, the background's where it is masked),
 * every Owen value is a Shapley value and a value's is its own contribution {@code V_j (x_j - b_j)}: with the whole
 * tree refined each pixel gets the sum over its channels, and a cell never refined gets the sum over the cell, spread
 * evenly. On any model the values sum to {@code f(x) - f(baseline)}.
 */
class PartitionShapTest {

    private final Random random = new Random(5);

    private float[] values(int size, float from, float to) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = from + random.nextFloat() * (to - from);
        }
        return v;
    }

    private static CamMaps explain(FakeProbe probe, Map<String, String> options) {
        return new PartitionShap().compute(new LayerData(null, null, null, new float[probe.input().dim(0)], probe,
                options));
    }

    private static FakeProbe linear(float[] x, float[] v, int h, int w) {
        return FakeProbe.builder().input(Tensor.copyOf(x, 1, 3, h, w)).scoreInputs(FakeProbe.linear(v, 0.25))
                .build();
    }

    /** Per pixel {@code sum_c V (x - b)}. */
    private static float[] contributions(float[] x, float[] background, float[] v, int pixels) {
        float[] u = new float[pixels];
        for (int j = 0; j < x.length; j++) {
            u[j % pixels] += v[j] * (x[j] - background[j]);
        }
        return u;
    }

    @ParameterizedTest
    @ValueSource(strings = {"blur", "colour"})
    void theWholeTreeGivesEachPixelItsOwnContributionInAnAdditiveModel(String masker) {
        for (int[] size : new int[][] {{4, 4}, {5, 3}, {3, 7}}) {
            int h = size[0], w = size[1], pixels = h * w;
            float[] x = values(3 * pixels, -1, 1);
            float[] v = values(3 * pixels, -1, 1);
            float[] background = masker.equals("blur") ? PartitionShapMasker.blur(x, 3, h, w, 2)
                    : PartitionShapMasker.fill(new float[] {40 / 255f, 80 / 255f, 120 / 255f}, h, w);
            Map<String, String> options = masker.equals("blur")
                    ? Map.of("max-evals", "1000000", "blur", "2")
                    : Map.of("max-evals", "1000000", "masker", "colour", "colour", "40,80,120");
            CamMaps maps = explain(linear(x, v, h, w), options);
            assertEquals(CamMaps.Kind.MAP, maps.kind());
            assertArrayEquals(new int[] {1, 1, h, w}, maps.maps().shape());
            assertArrayEquals(contributions(x, background, v, pixels), maps.maps().toArray(), 1e-5f,
                    h + "x" + w + " " + masker);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8, 64})
    void aBudgetThatRefinesTheTopLevelsGivesEachCellItsContributionSpreadEvenly(int batch) {
        // x = 1 and V in [1, 1.5] against a black background: a cell's |f11 - f00| * weight falls 4-fold per level
        // (half the pixels, half the weight), more than V varies, so every visit of a level is refined before any of
        // the next. 8x8 -> 4x8 -> 4x4 -> 2x4 -> 2x2: refining levels 0..3 (1 + 4 + 16 + 64 visits, 2 images each,
        // after f(x) and f(baseline)) leaves the 2x2 cells, each with the sum of its pixels' contributions.
        int h = 8, w = 8, pixels = h * w;
        float[] x = new float[3 * pixels];
        java.util.Arrays.fill(x, 1f);
        float[] v = values(3 * pixels, 1f, 1.5f);
        for (int[] levels : new int[][] {{2, 4}, {4, 2}}) {
            int depth = levels[0], cell = levels[1], visits = 0;
            for (int d = 0; d < depth; d++) {
                visits += 1 << (2 * d);
            }
            FakeProbe probe = linear(x, v, h, w);
            float[] map = explain(probe, Map.of("max-evals", String.valueOf(2 + 2 * visits), "masker", "colour",
                    "batch-size", String.valueOf(batch))).maps().toArray();
            float[] u = contributions(x, new float[3 * pixels], v, pixels);
            float[] expected = new float[pixels];
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int top = y / cell * cell, left = xx / cell * cell;
                    expected[y * w + xx] = sum(u, w, top, top + cell, left, left + cell) / (cell * cell);
                }
            }
            assertArrayEquals(expected, map, 1e-5f, "levels 0.." + (depth - 1) + ", batch " + batch);
            assertEquals(2 + 2 * visits, probe.batchSizes().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void theLongerSideSplitsFirstWithTheLargerHalfFirst() {
        // 5 x 3: the rows split into the first 3 and the last 2 (shap's cells); one refinement of the root leaves them
        int h = 5, w = 3, pixels = h * w;
        float[] x = values(3 * pixels, -1, 1);
        float[] v = values(3 * pixels, -1, 1);
        float[] map = explain(linear(x, v, h, w), Map.of("max-evals", "4", "masker", "colour")).maps().toArray();
        float[] u = contributions(x, new float[3 * pixels], v, pixels);
        float top = sum(u, w, 0, 3, 0, 3) / 9, bottom = sum(u, w, 3, 5, 0, 3) / 6;
        for (int p = 0; p < pixels; p++) {
            assertEquals(p < 3 * w ? top : bottom, map[p], 1e-6f, "pixel " + p);
        }
        // 3 x 5: the columns split into the first 3 and the last 2
        map = explain(linear(x, v, w, h), Map.of("max-evals", "4", "masker", "colour")).maps().toArray();
        u = contributions(x, new float[3 * pixels], v, pixels);
        float left = sum(u, h, 0, 3, 0, 3) / 9, right = sum(u, h, 0, 3, 3, 5) / 6;
        for (int p = 0; p < pixels; p++) {
            assertEquals(p % h < 3 ? left : right, map[p], 1e-6f, "pixel " + p);
        }
    }

    private static float sum(float[] u, int w, int y0, int y1, int x0, int x1) {
        double s = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                s += u[y * w + x];
            }
        }
        return (float) s;
    }

    @Test
    void theValuesSumToTheScoreOfTheImageLessTheScoreOfTheBackgroundForAnyBudget() {
        int h = 6, w = 9, pixels = h * w;
        float[] x = values(2 * 3 * pixels, -1, 1);
        float[] a = values(3 * pixels, -1, 1), b = values(3 * pixels, -1, 1);
        // not additive: a product of two linear forms through a tanh
        FakeProbe.Scorer model = (image, row) -> {
            double p = 0, q = 0;
            for (int j = 0; j < row.size(); j++) {
                p += a[j] * row.get(j);
                q += b[j] * row.get(j);
            }
            return Math.tanh(p) * (1 + q * q) + image;
        };
        for (int budget : new int[] {2, 3, 4, 5, 17, 100, 501, 1_000_000}) {
            for (int batch : new int[] {2, 3, 7, 64}) {
                FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, 2, 3, h, w)).scoreInputs(model).build();
                CamMaps maps = explain(probe, Map.of("max-evals", String.valueOf(budget), "batch-size",
                        String.valueOf(batch)));
                Map<String, float[]> details = maps.details();
                float[] map = maps.maps().toArray();
                int scored = 0;
                for (int i = 0; i < 2; i++) {
                    float[] image = java.util.Arrays.copyOfRange(x, i * 3 * pixels, (i + 1) * 3 * pixels);
                    float fx = (float) model.score(i, Tensor.of(image, 1, 3, h, w));
                    float fb = (float) model.score(i, Tensor.of(PartitionShapMasker.blur(image, 3, h, w,
                            Math.round(128f * 6 / 224)), 1, 3, h, w));
                    assertEquals(fx, details.get("fx")[i], 1e-6f);
                    assertEquals(fb, details.get("base")[i], 1e-6f);
                    double total = 0;
                    for (int p = 0; p < pixels; p++) {
                        total += map[i * pixels + p];
                    }
                    String where = "image " + i + ", max-evals " + budget + ", batch-size " + batch;
                    assertEquals(fx - fb, total, 1e-5 * (1 + Math.abs(fx) + Math.abs(fb)), where);
                    assertEquals(total, details.get("sum")[i], 1e-5, where);
                    float evals = details.get("passes")[i];
                    assertTrue(evals <= budget && evals >= 2, where + ": " + evals + " evaluations");
                    scored += (int) evals;
                }
                assertEquals(scored, probe.batchSizes().stream().mapToInt(Integer::intValue).sum());
                assertTrue(probe.batchSizes().stream().allMatch(s -> s <= Math.max(2, batch)), probe.batchSizes()
                        + " for batch-size " + batch);
            }
        }
    }

    @Test
    void theBudgetIsSpentInBatchesReportedOneByOne() {
        int h = 16, w = 16, pixels = h * w;
        FakeProbe probe = linear(values(3 * pixels, -1, 1), values(3 * pixels, -1, 1), h, w);
        explain(probe, Map.of("max-evals", "100", "batch-size", "16"));
        // f(x) and f(baseline), then rounds of at most 8 cells: 1, 4, then 8 at a time, up to 98 more evaluations
        assertEquals(List.of(2, 2, 8, 16, 16, 16, 16, 16, 8), probe.batchSizes());
        List<int[]> progress = probe.progress();
        assertEquals(probe.batchSizes().size(), progress.size());
        for (int k = 0; k < progress.size(); k++) {
            assertEquals(k + 1, progress.get(k)[0]);
            assertTrue(progress.get(k)[1] >= progress.get(k)[0]);
        }
        assertArrayEquals(new int[] {9, 9}, progress.get(progress.size() - 1));
    }

    @Test
    void aCancelledRequestStopsAtTheNextBatch() {
        int h = 16, w = 16, pixels = h * w;
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(values(3 * pixels, -1, 1), 1, 3, h, w))
                .scoreInputs(FakeProbe.linear(values(3 * pixels, -1, 1), 0)).cancelAfter(3).build();
        assertThrows(CamException.class, () -> explain(probe, Map.of()));
        assertEquals(3, probe.batchSizes().size());
    }

    @Test
    void malformedOptionsAreRefusedNamingTheOptionAndItsValues() {
        FakeProbe probe = linear(new float[48], new float[48], 4, 4);
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("max-evals", "1"), "'max-evals' must be at least 2",
                Map.of("batch-size", "1"), "'batch-size' must be at least 2",
                Map.of("batch-size", "many"), "'batch-size' must be an integer",
                Map.of("masker", "inpaint"), "'masker' must be blur, colour, inpaint_telea or inpaint_ns",
                Map.of("blur", "0"), "'blur' must be at least 1",
                Map.of("colour", "1,2,3"), "'colour' applies to masker=colour",
                Map.of("masker", "colour", "blur", "3"), "'blur' applies to masker=blur",
                Map.of("masker", "colour", "colour", "1,2"), "'colour' must be R,G,B",
                Map.of("masker", "colour", "colour", "1,2,256"), "'colour' must be R,G,B");
        bad.forEach((options, message) -> {
            CamException e = assertThrows(CamException.class, () -> explain(probe, options), options.toString());
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    @Test
    void efficiencyHoldsWithTheInpaintingMaskers() {
        int h = 8, w = 8, size = 3 * h * w;
        float[] x = values(size, 0, 1);
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, 1, 3, h, w))
                .scoreInputs(FakeProbe.linear(values(size, -1, 1), 0.5)).build();
        for (String masker : List.of("inpaint_telea", "inpaint_ns")) {
            Map<String, float[]> details = explain(probe, Map.of("masker", masker, "max-evals", "60",
                    "batch-size", "8")).details();
            assertEquals(details.get("fx")[0] - details.get("base")[0], details.get("sum")[0], 1e-4, masker);
            assertEquals(60, details.get("passes")[0], masker);
        }
    }

    @Test
    void needsNothingButTheInputAndGivesEachDefault() {
        PartitionShap method = new PartitionShap();
        assertTrue(method.requires().isEmpty());
        assertTrue(method.options().get("max-evals").contains("default 500"));
        assertTrue(method.options().get("blur").contains("37 at 64"));
    }
}
