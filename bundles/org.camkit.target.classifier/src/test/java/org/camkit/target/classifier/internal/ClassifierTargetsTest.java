package org.camkit.target.classifier.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

class ClassifierTargetsTest {

    private static final org.camkit.spi.ModelDescriptor MODEL = Outputs.MODEL;
    private static final float[] OUTPUT = {0.5f, 2.5f, -1f};

    @Test
    void classByIndexScoresTheRawLogitWithAOneHotSeed() {
        TargetScore score = new ClassTarget().resolve(new TargetRequest("2", OUTPUT, MODEL));
        assertEquals(2, score.classIndex());
        assertEquals(-1f, score.score());
        assertArrayEquals(new float[] {0, 0, 1}, score.seed());
        assertEquals("class 2 (duck)", score.description());
    }

    @Test
    void classByLabelFindsTheIndex() {
        assertEquals(0, new ClassTarget().resolve(new TargetRequest("cat", OUTPUT, MODEL)).classIndex());
    }

    @Test
    void classIndexOutOfRangeNamesTheRange() {
        CamException e = assertThrows(CamException.class,
                () -> new ClassTarget().resolve(new TargetRequest("7", OUTPUT, MODEL)));
        assertTrue(e.getMessage().contains("out of range") && e.getMessage().contains("0..2"), e.getMessage());
    }

    @Test
    void unknownLabelListsTheLabels() {
        CamException e = assertThrows(CamException.class,
                () -> new ClassTarget().resolve(new TargetRequest("cow", OUTPUT, MODEL)));
        assertTrue(e.getMessage().contains("[cat, dog, duck]"), e.getMessage());
    }

    @Test
    void predictedExplainsTheLargestOutput() {
        TargetScore score = new PredictedTarget().resolve(new TargetRequest("", OUTPUT, MODEL));
        assertEquals(1, score.classIndex());
        assertEquals(2.5f, score.score());
        assertArrayEquals(new float[] {0, 1, 0}, score.seed());
    }

    @Test
    void predictedStaysOnTheClassPredictedForTheUnperturbedImage() {
        float[] perturbed = {3f, 0.2f, -1f}; // class 0 now scores highest, the image itself predicted class 1
        TargetScore score = new PredictedTarget().resolve(new TargetRequest("", perturbed, MODEL, OUTPUT));
        assertEquals(1, score.classIndex());
        assertEquals(0.2f, score.score());
    }

    @Test
    void predictedRejectsAnArgument() {
        assertThrows(CamException.class, () -> new PredictedTarget().resolve(new TargetRequest("1", OUTPUT, MODEL)));
    }
}
