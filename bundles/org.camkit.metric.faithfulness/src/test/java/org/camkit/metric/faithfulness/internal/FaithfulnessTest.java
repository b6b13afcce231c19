package org.camkit.metric.faithfulness.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.MetricValues;
import org.camkit.testkit.FakeMetricProbe;
import org.junit.jupiter.api.Test;

/**
 * The faithfulness metrics on a network whose answers are known in closed form: two logits {@code [s, 0]} with
 * {@code s} the sum of the input, so the first class's probability is {@code sigmoid(s)} and the raw target is s.
 */
class FaithfulnessTest {

    private static final int W = 6;
    private static final int H = 4;
    private static final int PLANE = W * H;

    private static float sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return (float) s;
    }

    private final FakeMetricProbe probe = FakeMetricProbe.builder(W, H).labels("a", "b")
            .network(x -> new float[] {sum(x) / 10, 0}).target(o -> (double) o[0]).maxBatch(5).build();

    private static float[] ones() {
        float[] x = new float[3 * PLANE];
        java.util.Arrays.fill(x, 1f);
        return x;
    }

    private static double sigmoid(double s) {
        return 1 / (1 + Math.exp(-s));
    }

    @Test
    void deletionRemovesPixelsLargestFirstTiesInRasterOrderAndReadsTheProbability() {
        float[] map = new float[PLANE];
        map[7] = 1f; // the first deleted; the others tie and go in raster order
        MetricValues v = new Deletion().score(probe.data("m", ones(), map, List.of(), Map.of("steps", "4")));
        double[] y = v.curves().get(0).y();
        // steps of 24/4 = 6 pixels (3 channels each, 1.8 of s per step)
        for (int k = 0; k <= 4; k++) {
            assertEquals(sigmoid((3 * PLANE - 3 * 6 * k) / 10.0), y[k], 1e-6, "step " + k);
        }
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, v.curves().get(0).x(), 1e-12);
        assertEquals(Curves.auc(y), v.values().get("deletion")[0], 1e-12);
        assertEquals(List.of(5), probe.batchSizes(), "5 copies in one pass of at most 5");
        assertArrayEquals(new int[] {7, 0, 1, 2}, java.util.Arrays.copyOf(Curves.order(map), 4));
    }

    @Test
    void theAreaIsTheTrapezoidRuleOnTheUnitInterval() {
        assertEquals(1.0, Curves.auc(new double[] {1, 1, 1}), 1e-12);
        assertEquals(0.5, Curves.auc(new double[] {1, 0}), 1e-12);
        assertEquals(0.25, Curves.auc(new double[] {0, 0, 1}), 1e-12);
    }

    @Test
    void insertionStartsFromTheBlurredImageAndEndsAtTheImage() {
        float[] map = new float[PLANE];
        MetricValues v = new Insertion().score(probe.data("m", ones(), map, List.of(), Map.of("steps", "3")));
        double[] y = v.curves().get(0).y();
        assertEquals(sigmoid(sum(Curves.blur(ones(), H, W)) / 10.0), y[0], 1e-6);
        assertEquals(sigmoid(3 * PLANE / 10.0), y[3], 1e-6);
        assertTrue(y[1] > y[0] && y[2] > y[1], "restoring pixels raises the sum");
    }

    @Test
    void theBlurIsANormalisedElevenTapGaussianWithZerosOutside() {
        int w = 31;
        int h = 31;
        float[] x = new float[3 * w * h];
        java.util.Arrays.fill(x, 2f);
        float[] b = Curves.blur(x, h, w);
        assertEquals(2f, b[15 * w + 15], 1e-6, "inside, a constant stays");
        double[] k = new double[11];
        double s = 0;
        for (int i = 0; i < 11; i++) {
            k[i] = Math.exp(-(i - 5) * (i - 5) / 50.0);
            s += k[i];
        }
        double inside = 0;
        for (int i = 5; i < 11; i++) {
            inside += k[i] / s; // at a corner, only the taps at offsets 0..5 fall inside
        }
        assertEquals(2 * inside * inside, b[0], 1e-6);
    }

    @Test
    void confidenceChangeDropAndIncreaseFollowPytorchGradCamAndThePapers() {
        float[] map = new float[PLANE];
        java.util.Arrays.fill(map, 0, PLANE / 2, 1f); // half the pixels kept
        MetricValues v = new Confidence().score(probe.data("m", ones(), map, List.of(), Map.of()));
        double y = 3 * PLANE / 10.0;
        double o = 3 * PLANE / 2 / 10.0;
        assertEquals(o - y, v.values().get("change")[0], 1e-5);
        assertEquals(y - o, v.values().get("drop")[0], 1e-5);
        assertEquals(0, v.values().get("increase")[0]);
        assertEquals(100 * (y - o) / y, v.values().get("average-drop")[0], 1e-4);
        assertEquals(0, v.values().get("increase-in-confidence")[0]);
        float[] x = ones();
        for (int p = 0; p < 3 * PLANE; p++) {
            x[p] = -1; // a negative sum: keeping half of it raises the score
        }
        MetricValues up = new Confidence().score(probe.data("m", x, map, List.of(), Map.of()));
        assertEquals(1, up.values().get("increase")[0]);
        assertEquals(100, up.values().get("increase-in-confidence")[0]);
        assertEquals(0, up.values().get("drop")[0]);
        assertTrue(Double.isNaN(up.values().get("average-drop")[0]), "Y <= 0 has no relative drop");
    }

    @Test
    void percentilesInterpolateLinearlyAsNumpy() {
        float[] v = {4, 1, 3, 2};
        assertEquals(2.5, RoadScore.percentile(v, 50), 1e-12);
        assertEquals(1.3, RoadScore.percentile(v, 10), 1e-6);
        assertEquals(4, RoadScore.percentile(v, 100), 1e-12);
        // at the 50th percentile the two largest are removed, the two smallest kept
        assertArrayEquals(new boolean[] {false, true, false, true}, RoadScore.keep(v, 50));
    }

    @Test
    void roadWithoutNoiseOnAMapOrderedLikeTheNetworkRewardsTheRightMapAndIsDeterministic() {
        // the network scores the sum of the input; a map that ranks the largest input values first is faithful
        float[] x = new float[3 * PLANE];
        float[] good = new float[PLANE];
        for (int p = 0; p < PLANE; p++) {
            float value = (p % W) / (float) W; // brighter to the right
            for (int c = 0; c < 3; c++) {
                x[c * PLANE + p] = value;
            }
            good[p] = value;
        }
        float[] bad = new float[PLANE];
        for (int p = 0; p < PLANE; p++) {
            bad[p] = 1 - good[p];
        }
        Map<String, String> options = Map.of("noise", "0", "percentiles", "20,50,80");
        double right = new Road().score(probe.data("m", x, good, List.of(), options)).values().get("road")[0];
        double wrong = new Road().score(probe.data("m", x, bad, List.of(), options)).values().get("road")[0];
        assertTrue(right > wrong, right + " vs " + wrong);
        assertEquals(right, new Road().score(probe.data("m", x, good, List.of(), options)).values().get("road")[0]);
    }

    @Test
    void malformedOptionsNameTheOptionAndTheValidValues() {
        float[] map = new float[PLANE];
        CamException e = assertThrows(CamException.class, () -> new Road().score(
                probe.data("m", ones(), map, List.of(), Map.of("percentiles", "10,x"))));
        assertTrue(e.getMessage().contains("percentiles") && e.getMessage().contains("10,x"), e.getMessage());
        assertThrows(CamException.class, () -> new Deletion().score(
                probe.data("m", ones(), map, List.of(), Map.of("steps", "0"))));
        assertThrows(CamException.class, () -> new Insertion().score(
                probe.data("m", ones(), map, List.of(), Map.of("batch-size", "0"))));
    }

    @Test
    void arccIsTheHarmonicMeanOfCoherencyOneMinusComplexityAndRoad() {
        float[] map = new float[PLANE];
        for (int p = 0; p < PLANE; p++) {
            map[p] = (p % W) / (float) (W - 1);
        }
        FakeMetricProbe same = FakeMetricProbe.builder(W, H).labels("a", "b")
                .network(x -> new float[] {sum(x) / 10, 0}).target(o -> (double) o[0])
                .method(x -> map.clone()).build();
        MetricValues v = new Arcc().score(same.data("m", ones(), map, List.of(), Map.of("noise", "0")));
        double coherency = v.values().get("coherency")[0];
        double complexity = v.values().get("complexity")[0];
        double road = v.values().get("road")[0];
        assertEquals(1.0, coherency, 1e-6, "the method gives the same map again");
        assertEquals(0.5, complexity, 1e-6, "the mean of a ramp from 0 to 1");
        assertTrue(road >= 0 && road <= 1);
        double expected = 3 / (1 / (coherency + 1e-8) + 1 / (1 - complexity + 1e-8) + 1 / (road + 1e-8));
        assertEquals(expected, v.values().get("arcc")[0], 1e-12);
        assertEquals(-1, Arcc.pearson(new float[] {1, 2, 3}, new float[] {3, 2, 1}), 1e-6);
    }

    @Test
    void aCancelledEvaluationStopsBetweenBatches() {
        FakeMetricProbe cancelling = FakeMetricProbe.builder(W, H).labels("a", "b")
                .network(x -> new float[] {sum(x), 0}).maxBatch(1).cancelAfter(2).build();
        assertThrows(CamException.class, () -> new Deletion().score(cancelling.data("m", ones(), new float[PLANE],
                List.of(), Map.of("steps", "10"))));
        assertEquals(3, cancelling.batchSizes().size(), "it stopped after the third batch's report");
    }
}
