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
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.Superpixels;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

/**
 * LIME and KernelSHAP on a model additive over the superpixels: {@code f = sum_m c_m [segment m shows the image]},
 * read from one pixel per segment. KernelSHAP's values are then exactly {@code c_m}; LIME's ridge recovers them up to
 * its shrinkage.
 */
class AdditiveModelTest {

    private static final int H = 40;
    private static final int W = 48;

    /**
     * Random colours in 8x8 blocks with a little noise, in [0, 1] (the fake model's mean 0 and std 1 leave it as the
     * pixels): SLIC finds about as many segments as asked (on pure noise it would find a few).
     */
    private static float[] image(long seed) {
        Random random = new Random(seed);
        float[] blocks = new float[3 * (H / 8) * (W / 8)];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = 0.1f + 0.8f * random.nextFloat();
        }
        float[] x = new float[3 * H * W];
        for (int b = 0; b < 3; b++) {
            for (int y = 0; y < H; y++) {
                for (int xx = 0; xx < W; xx++) {
                    x[(b * H + y) * W + xx] = blocks[(b * (H / 8) + y / 8) * (W / 8) + xx / 8]
                            + 0.02f * (float) random.nextGaussian();
                }
            }
        }
        return x;
    }

    /** The additive model, and the segmentation the methods will find (SLIC is deterministic). */
    private record Additive(FakeProbe probe, Superpixels sp, double[] c) {
    }

    private static Additive additive(float[] x, int segments) {
        Superpixels sp = Superpixels.slic(x, H, W, segments);
        assertTrue(sp.count() >= 0.7 * segments, sp.count() + " segments for " + segments);
        int[][] members = sp.members();
        double[] c = new double[sp.count()];
        Random random = new Random(3);
        for (int m = 0; m < c.length; m++) {
            c[m] = random.nextGaussian();
        }
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, 1, 3, H, W)).scoreInputs((image, row) -> {
            double score = 0;
            for (int m = 0; m < c.length; m++) {
                int p = members[m][members[m].length / 2];
                score += row.get(p) == x[p] ? c[m] : 0;
            }
            return score;
        }).build();
        return new Additive(probe, sp, c);
    }

    private static CamMaps run(CamMethod method, FakeProbe probe, Map<String, String> options) {
        return method.compute(new LayerData(null, null, null, new float[1], probe, options));
    }

    /** @return the map's value of each segment, checked constant over the segment */
    private static double[] perSegment(CamMaps maps, Superpixels sp) {
        float[] map = maps.maps().toArray();
        double[] value = new double[sp.count()];
        int[][] members = sp.members();
        for (int m = 0; m < value.length; m++) {
            value[m] = map[members[m][0]];
            for (int p : members[m]) {
                assertEquals(value[m], map[p], 0, "segment " + m + " is not one value");
            }
        }
        return value;
    }

    @Test
    void kernelShapGivesEachSegmentItsAdditiveContribution() {
        float[] x = image(1);
        Additive model = additive(x, 30);
        CamMaps maps = run(new KernelShap(), model.probe(), Map.of("segments", "30"));
        assertArrayEquals(new int[] {1, 1, H, W}, maps.maps().shape());
        assertArrayEquals(model.c(), perSegment(maps, model.sp()), 1e-5);
        double total = java.util.Arrays.stream(model.c()).sum();
        assertEquals(0, maps.details().get("base")[0], 1e-6, "phi_0 = f(baseline), every segment hidden");
        assertEquals(total, maps.details().get("fx")[0], 1e-5, "f(x)");
        assertEquals(total, maps.details().get("sum")[0], 1e-5, "sum phi = f(x) - f(baseline)");
    }

    @Test
    void kernelShapEnforcesEfficiencyOnANonAdditiveModel() {
        float[] x = image(2);
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, 1, 3, H, W)).scoreInputs((image, row) -> {
            double s = 0;
            for (int p = 0; p < row.size(); p += 7) {
                s += row.get(p) * (p % 3 - 1);
            }
            return Math.tanh(s / 50);
        }).build();
        for (String baseline : List.of("blur", "mean", "0,0,0")) {
            CamMaps maps = run(new KernelShap(), probe, Map.of("baseline", baseline, "samples", "300"));
            Map<String, float[]> d = maps.details();
            assertEquals(d.get("fx")[0] - d.get("base")[0], d.get("sum")[0], 1e-5, baseline);
        }
    }

    @Test
    void limesRidgeRecoversTheAdditiveContributionsUpToItsShrinkage() {
        float[] x = image(4);
        Additive model = additive(x, 30);
        CamMaps maps = run(new Lime(), model.probe(), Map.of("segments", "30"));
        double[] coefficients = perSegment(maps, model.sp());
        // alpha = 1 against sum_i w_i var(z) ~ 1000 * 0.5 * 0.25 = 125 shrinks the coefficients by about 1 % of
        // their scale; the sampled design's correlations spread that over the segments: allow 2.5 % of max |c|
        double scale = java.util.Arrays.stream(model.c()).map(Math::abs).max().orElseThrow();
        double worst = 0;
        double norm = 0;
        double exact = 0;
        for (int m = 0; m < coefficients.length; m++) {
            worst = Math.max(worst, Math.abs(coefficients[m] - model.c()[m]));
            norm += coefficients[m] * coefficients[m];
            exact += model.c()[m] * model.c()[m];
        }
        assertTrue(worst < 0.025 * scale, "max |coef - c| = " + worst + ", max |c| = " + scale);
        // least squares fits c exactly; the penalty can only shorten the coefficient vector
        assertTrue(norm < exact, "ridge shrinks: |coef|^2 " + norm + " vs |c|^2 " + exact);
        assertTrue(maps.details().get("r2")[0] > 0.999, "an additive model is fitted: r2 "
                + maps.details().get("r2")[0]);
        assertEquals(0, maps.details().get("intercept")[0], 0.05);
    }

    @Test
    void theSameSeedGivesTheSameMapAndAnotherSeedAnother() {
        float[] x = image(5);
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(x, 1, 3, H, W))
                .scoreInputs((image, row) -> {
                    double s = 0;
                    for (int p = 0; p < row.size(); p += 37) {
                        s += row.get(p) * (p % 5 - 2);
                    }
                    return Math.tanh(s / 20);
                }).build();
        for (CamMethod method : List.<CamMethod>of(new Lime(), new KernelShap())) {
            Map<String, String> options = Map.of("samples", "200", "segments", "20");
            float[] once = run(method, probe, options).maps().toArray();
            assertArrayEquals(once, run(method, probe, options).maps().toArray());
            Map<String, String> other = Map.of("samples", "200", "segments", "20", "seed", "9");
            assertTrue(!java.util.Arrays.equals(once, run(method, probe, other).maps().toArray()),
                    method + ": another seed draws other coalitions");
        }
    }

    @Test
    void coalitionsAreScoredInBatchesWithOneProgressReportEach() {
        Additive model = additive(image(6), 20);
        run(new Lime(), model.probe(), Map.of("samples", "100", "batch-size", "32"));
        assertEquals(List.of(32, 32, 32, 4), model.probe().batchSizes());
        assertArrayEquals(new int[] {4, 4}, model.probe().progress().get(3));
        FakeProbe cancelling = FakeProbe.builder().input(Tensor.copyOf(image(6), 1, 3, H, W))
                .scoreInputs((i, row) -> 0).cancelAfter(2).build();
        assertThrows(CamException.class, () -> run(new KernelShap(), cancelling, Map.of()));
        assertEquals(2, cancelling.batchSizes().size(), "no batch after the cancelled report");
    }

    @Test
    void malformedOptionsAreRefusedNamingTheOptionAndTheValidValues() {
        FakeProbe probe = FakeProbe.builder().input(Tensor.copyOf(image(7), 1, 3, H, W))
                .scoreInputs((i, row) -> 0).build();
        Map<Map<String, String>, String> bad = Map.of(Map.of("hide", "grey"), "'hide' must be mean, blur or a colour",
                Map.of("hide", "0,0,300"), "'hide'", Map.of("segments", "0"), "'segments' must be between 1",
                Map.of("samples", "1"), "'samples' must be at least 2", Map.of("seed", "x"), "'seed'",
                Map.of("kernel-width", "0"), "'kernel-width'", Map.of("batch-size", "0"), "'batch-size'");
        bad.forEach((options, message) -> {
            CamException e = assertThrows(CamException.class, () -> run(new Lime(), probe, options));
            assertTrue(e.getMessage().contains(message) && e.getMessage().contains("lime"), e.getMessage());
        });
        CamException e = assertThrows(CamException.class,
                () -> run(new KernelShap(), probe, Map.of("baseline", "zero")));
        assertTrue(e.getMessage().contains("'baseline' must be mean, blur or a colour R,G,B"), e.getMessage());
        e = assertThrows(CamException.class, () -> run(new KernelShap(), probe, Map.of("samples", "3")));
        assertTrue(e.getMessage().contains("raise option 'samples'"), e.getMessage());
    }

    @Test
    void aConstantHideColourIsGivenInPixelValuesAndNormalisedForTheModel() {
        float[] x = image(8);
        Superpixels sp = Superpixels.slic(x, H, W, 10);
        org.camkit.spi.ModelDescriptor bgr = new org.camkit.spi.ModelDescriptor("m", "b", java.nio.file.Path.of("/m"),
                "", W, H, new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 0.25f, 2f}, List.of(), "l", Map.of(),
                "BGR", null);
        float[] background = Backgrounds.of("lime", "hide", "255, 0, 51", x, H, W, bgr, sp);
        // BGR: plane 0 is blue (51 / 255 = 0.2), plane 2 red (1)
        assertEquals((0.2f - 0.1f) / 0.5f, background[0], 1e-6f);
        assertEquals((0f - 0.2f) / 0.25f, background[H * W], 1e-6f);
        assertEquals((1f - 0.3f) / 2f, background[2 * H * W + 5], 1e-6f);
        float[] rgb = Backgrounds.rgb(new float[] {(0.2f - 0.1f) / 0.5f, (0f - 0.2f) / 0.25f, (1f - 0.3f) / 2f}, 1,
                bgr);
        assertArrayEquals(new float[] {1f, 0f, 0.2f}, rgb, 1e-6f);
    }

    @Test
    void theBlurIsANormalisedGaussianThatKeepsAConstantImage() {
        float[] flat = new float[2 * 9 * 11];
        java.util.Arrays.fill(flat, 0.7f);
        float[] blurred = GaussianBlur.blur(flat, 9, 11, 3);
        for (float v : blurred) {
            assertEquals(0.7f, v, 1e-6f);
        }
        float[] dot = new float[21 * 21];
        dot[10 * 21 + 10] = 1;
        float[] spread = GaussianBlur.blur(dot, 21, 21, 2);
        double g1 = Math.exp(-1 / 8.0);
        assertEquals(g1, spread[10 * 21 + 11] / spread[10 * 21 + 10], 1e-6, "exp(-1 / (2 sigma^2)) one pixel off");
        assertEquals(2, GaussianBlur.reflect(-2, 5));
        assertEquals(3, GaussianBlur.reflect(5, 5));
        assertEquals(7.0, Backgrounds.blurSigma(224, 300), 0);
    }
}
