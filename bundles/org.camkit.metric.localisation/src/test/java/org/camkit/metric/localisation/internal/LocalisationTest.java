package org.camkit.metric.localisation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.MetricData;
import org.camkit.spi.TruthRegion;
import org.camkit.testkit.FakeMetricProbe;
import org.junit.jupiter.api.Test;

/** The localisation metrics against values computed by hand on 10x10 maps. */
class LocalisationTest {

    private static final int W = 10;
    private static final int H = 10;

    /** A network whose class 0 ("cat") wins, so the default label is "cat". */
    private final FakeMetricProbe probe = FakeMetricProbe.builder(W, H).labels("cat", "dog")
            .network(x -> new float[] {1, 0}).build();

    /** A box region with its box as pixels, or with {@code pixels} inside it. */
    private static TruthRegion box(String label, int x0, int y0, int x1, int y1) {
        boolean[] pixels = new boolean[W * H];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                pixels[y * W + x] = true;
            }
        }
        return new TruthRegion(label, x0, y0, x1, y1, W, H, pixels);
    }

    private MetricData data(float[] map, List<TruthRegion> truth, Map<String, String> options) {
        return probe.data("test", new float[3 * W * H], map, truth, options);
    }

    private static float[] peakAt(int x, int y) {
        float[] map = new float[W * H];
        map[y * W + x] = 1;
        return map;
    }

    @Test
    void pointingGameHitsInsideTheBoxAndWithinTheToleranceOnly() {
        List<TruthRegion> cat = List.of(box("cat", 2, 2, 5, 5));
        assertEquals(1, new PointingGame().score(data(peakAt(3, 3), cat, Map.of())).values().get("pointing-game")[0]);
        // (8, 3) is 4 columns right of the box's last column (4): a hit with tolerance 4, a miss with 3
        assertEquals(1, value(new PointingGame(), peakAt(8, 3), cat, Map.of("tolerance", "4")));
        assertEquals(0, value(new PointingGame(), peakAt(8, 3), cat, Map.of("tolerance", "3")));
        // diagonal distance from (7, 7) to the corner (4, 4) is sqrt(18) = 4.24
        assertEquals(0, value(new PointingGame(), peakAt(7, 7), cat, Map.of("tolerance", "4")));
        assertEquals(1, value(new PointingGame(), peakAt(7, 7), cat, Map.of("tolerance", "4.25")));
    }

    @Test
    void aFlatMapMissesThePointingGame() {
        assertEquals(0, value(new PointingGame(), new float[W * H], List.of(box("cat", 0, 0, W, H)),
                Map.of("tolerance", "0")));
    }

    @Test
    void theDefaultLabelIsTheExplainedClassAndOtherObjectsAreIgnored() {
        List<TruthRegion> both = List.of(box("dog", 0, 0, 3, 3), box("cat", 6, 6, 9, 9));
        assertEquals(0, value(new PointingGame(), peakAt(1, 1), both, Map.of("tolerance", "0")));
        assertEquals(1, value(new PointingGame(), peakAt(1, 1), both, Map.of("tolerance", "0", "label", "dog")));
        assertEquals(1, value(new PointingGame(), peakAt(1, 1), both, Map.of("tolerance", "0", "label", "*")));
        assertEquals(1, value(new PointingGame(), peakAt(1, 1), both,
                Map.of("tolerance", "0", "label", "bird, dog")));
    }

    @Test
    void anImageWithoutAnObjectOfTheLabelHasNoValue() {
        List<TruthRegion> dog = List.of(box("dog", 0, 0, 3, 3));
        assertTrue(Double.isNaN(value(new Energy(), peakAt(1, 1), dog, Map.of())), "the explained class is cat");
        assertTrue(Double.isNaN(value(new PointingGame(), peakAt(1, 1), dog, Map.of())));
        assertTrue(Double.isNaN(value(new Iou(), peakAt(1, 1), dog, Map.of("label", "bird"))));
        assertEquals(1.0, value(new Energy(), peakAt(1, 1), dog, Map.of("label", "dog")), 1e-12);
    }

    @Test
    void energyIsTheShareOfTheMapsSumOnTheObject() {
        float[] map = new float[W * H];
        map[0] = 1; // outside
        map[3 * W + 3] = 0.5f; // inside
        map[4 * W + 4] = 0.5f; // inside
        assertEquals(0.5, value(new Energy(), map, List.of(box("cat", 2, 2, 5, 5)), Map.of()), 1e-12);
        assertTrue(Double.isNaN(value(new Energy(), new float[W * H], List.of(box("cat", 2, 2, 5, 5)), Map.of())));
    }

    @Test
    void shapePixelsUsesTheObjectsOwnPixelsAndBoxItsBoundingBox() {
        boolean[] diagonal = new boolean[W * H];
        for (int i = 2; i < 5; i++) {
            diagonal[i * W + i] = true;
        }
        List<TruthRegion> cat = List.of(new TruthRegion("cat", 2, 2, 5, 5, W, H, diagonal));
        float[] map = new float[W * H];
        map[2 * W + 4] = 1; // in the box, off the diagonal
        map[3 * W + 3] = 1; // on the diagonal
        assertEquals(1.0, value(new Energy(), map, cat, Map.of()), 1e-12);
        assertEquals(0.5, value(new Energy(), map, cat, Map.of("shape", "pixels")), 1e-12);
        assertThrows(CamException.class, () -> value(new Energy(), map, cat, Map.of("shape", "mask")));
    }

    @Test
    void iouComparesTheThresholdedMapWithTheObject() {
        float[] map = new float[W * H];
        for (int x = 0; x < 4; x++) {
            map[2 * W + x] = 0.5f; // row 2, columns 0..3: 4 pixels at the threshold
        }
        map[9 * W + 9] = 0.49f; // below it
        // object: row 2..3, columns 2..5 (8 pixels); shown and object share columns 2, 3 of row 2
        double iou = value(new Iou(), map, List.of(box("cat", 2, 2, 6, 4)), Map.of());
        assertEquals(2.0 / (4 + 8 - 2), iou, 1e-12);
        assertEquals(0.0, value(new Iou(), map, List.of(box("cat", 2, 2, 6, 4)), Map.of("threshold", "0.6")));
        assertThrows(CamException.class, () -> value(new Iou(), map, List.of(box("cat", 2, 2, 6, 4)),
                Map.of("threshold", "0")));
    }

    @Test
    void everyLocalisationMetricNeedsGroundTruth() {
        assertTrue(new PointingGame().needsGroundTruth() && new Energy().needsGroundTruth()
                && new Iou().needsGroundTruth());
    }

    private double value(org.camkit.spi.CamMetric metric, float[] map, List<TruthRegion> truth,
            Map<String, String> options) {
        return metric.score(data(map, truth, options)).values().values().iterator().next()[0];
    }
}
