package org.camkit.target.detection.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.DetectionLayout;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

/** The detection target on a hand-made output, against values worked out by hand. */
class DetectionTargetTest {

    static final ModelDescriptor DETECTOR = new ModelDescriptor("det", "pytorch", Path.of("det.pt"), "", 100, 100,
            new float[3], new float[] {1, 1, 1}, List.of("a", "b", "c"), "l", Map.of(), "RGB", null,
            new DetectionLayout(DetectionLayout.OBJECTNESS_CLASSES, 0.25f, 0.45f));

    /**
     * Row 0: a at 10,10,30,30, score 0.9 * 0.8 = 0.72. Row 1: a at 12,12,32,32, score 0.56, suppressed by row 0 (IoU
     * 324 / 476 = 0.68). Row 2: c at 50,50,70,80, score 0.4. Row 3: b, score 0.2 * 0.9 = 0.18, below the threshold.
     */
    static final float[] OUTPUT = {
        10, 10, 30, 30, 0.9f, 0.8f, 0.1f, 0.1f,
        12, 12, 32, 32, 0.8f, 0.7f, 0.2f, 0.1f,
        50, 50, 70, 80, 0.5f, 0.1f, 0.1f, 0.8f,
        60, 10, 90, 40, 0.2f, 0.05f, 0.9f, 0.05f};
    static final int[] SHAPE = {4, 8};

    private final DetectionTarget target = new DetectionTarget();

    private TargetScore resolve(String argument) {
        return target.resolve(new TargetRequest(argument, OUTPUT, DETECTOR, null, SHAPE));
    }

    @Test
    void aGivenBoxEqualToADetectionScoresIouOnePlusScoreAndItsIouGradientIsZero() {
        TargetScore s = resolve("a@10,10,30,30");
        assertEquals(1 + 0.72f, s.score(), 1e-6f);
        assertEquals(0, s.classIndex());
        float[] expected = new float[OUTPUT.length];
        expected[4] = 0.8f; // d (obj * p_a) / d obj
        expected[5] = 0.9f; // d (obj * p_a) / d p_a
        assertArrayEquals(expected, s.seed(), 1e-6f, "ties split the IoU's gradient: it cancels at IoU 1");
    }

    @Test
    void aShiftedBoxMatchesTheKeptDetectionWithTheIouGradientByHand() {
        TargetScore s = resolve("a@12,12,32,32");
        float iou = 324f / 476f;
        assertEquals(iou + 0.72f, s.score(), 1e-6f);
        float[] seed = s.seed();
        double u2 = 476.0 * 476.0;
        // x0, y0 lie outside the intersection: only the area moves; x1, y1 move the intersection and the area
        assertEquals(324.0 * 20 / u2, seed[0], 1e-7);
        assertEquals(324.0 * 20 / u2, seed[1], 1e-7);
        assertEquals((18.0 * 476 - 324.0 * (20 - 18)) / u2, seed[2], 1e-7);
        assertEquals((18.0 * 476 - 324.0 * (20 - 18)) / u2, seed[3], 1e-7);
        for (int i = 8; i < 16; i++) {
            assertEquals(0, seed[i], "the suppressed row is not a prediction");
        }
    }

    @Test
    void aLabelWithoutABoxExplainsEachOfItsDetections() {
        TargetScore s = resolve("c");
        assertEquals(1 + 0.4f, s.score(), 1e-6f);
        assertEquals(0.8f, s.seed()[2 * 8 + 4], 1e-6f);
        assertEquals(0.5f, s.seed()[2 * 8 + 7], 1e-6f);
        assertEquals(2, s.classIndex());
    }

    @Test
    void noArgumentExplainsTheTopDetection() {
        assertEquals(1 + 0.72f, resolve("").score(), 1e-6f);
        assertTrue(resolve("").description().contains("a at 10.0,10.0,30.0,30.0"), resolve("").description());
    }

    @Test
    void aLabelMismatchOrAnIouBelowTheThresholdScoresNothing() {
        TargetScore mismatch = resolve("c@10,10,30,30");
        assertEquals(0, mismatch.score());
        assertArrayEquals(new float[OUTPUT.length], mismatch.seed());
        assertEquals(0, resolve("a@12,12,32,32:0.7").score(), "IoU 0.68 is not above 0.7");
        assertEquals(324f / 476f + 0.72f, resolve("a@12,12,32,32:0.6").score(), 1e-6f);
    }

    @Test
    void thePredictionsAreTheScoredOutputsDetectionsAndTheReferenceBoxesTheUnperturbedOnes() {
        float[] perturbed = OUTPUT.clone();
        perturbed[4] = 0.1f; // row 0 drops below the threshold: row 1 becomes the prediction for a
        TargetScore s = target.resolve(new TargetRequest("a", perturbed, DETECTOR, OUTPUT, SHAPE));
        assertEquals(324f / 476f + 0.56f, s.score(), 1e-6f);
    }

    @Test
    void noDetectionOfTheLabelNamesWhatWasDetected() {
        CamException e = assertThrows(CamException.class, () -> resolve("b"));
        assertTrue(e.getMessage().contains("nothing in this image is detected as 'b'")
                && e.getMessage().contains("a 0.720 at 10.0,10.0,30.0,30.0")
                && e.getMessage().contains("c 0.400"), e.getMessage());
    }

    @Test
    void malformedSpecsAreNamed() {
        for (String[] c : new String[][] {{"a@1,2,3", "not four numbers"}, {"a@1,2,x,4", "'x' is not a number"},
            {"a@30,10,10,30", "corners swapped"}, {"a@-5,0,10,10", "outside the image (0,0,100,100)"},
            {"a@0,0,10,101", "outside the image"}, {"zebra", "not a label of model 'det'"},
            {"7", "out of range"}, {"@1,2,3,4", "needs a label"}, {"a@1,2,3,4:1.5", "outside [0, 1)"},
            {"a:x", "'x' is not a number"}, {"a@NaN,0,1,1", "not finite"}}) {
            CamException e = assertThrows(CamException.class, () -> resolve(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("detection:" + c[0]),
                    c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void anOutputThatDoesNotFitTheLayoutOrAModelThatIsNoDetectorIsNamed() {
        CamException shape = assertThrows(CamException.class, () -> target.resolve(new TargetRequest("a",
                new float[28], DETECTOR, null, new int[] {4, 7})));
        assertTrue(shape.getMessage().contains("needs outputs [K, 8]") && shape.getMessage().contains("[4, 7]"),
                shape.getMessage());
        ModelDescriptor classifier = new ModelDescriptor("cls", "pytorch", Path.of("c.pt"), "", 8, 8, new float[3],
                new float[] {1, 1, 1}, List.of("a", "b"), "l", Map.of());
        CamException plain = assertThrows(CamException.class, () -> target.resolve(new TargetRequest("a",
                new float[2], classifier)));
        assertTrue(plain.getMessage().contains("not a detector"), plain.getMessage());
    }
}
