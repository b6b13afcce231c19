package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompareStepTest {

    @Test
    void theGridTakesTheColumnsAskedForElseOneRowUpToSevenTilesThenANearSquare() {
        assertEquals(2, CompareStep.columns(2, 9));
        assertEquals(7, CompareStep.columns(0, 7));
        assertEquals(3, CompareStep.columns(0, 8));
        assertEquals(4, CompareStep.columns(0, 16));
        assertEquals(5, CompareStep.columns(0, 17));
    }

    @Test
    void aFailedMethodsTileShowsItsReasonUpToTheFirstSemicolonInAtMostSixtyCharacters() {
        assertEquals("method 'fullgrad' needs [BIAS_GRADIENTS]",
                CompareStep.shortReason("method 'fullgrad' needs [BIAS_GRADIENTS]; methods that work: gradcam"));
        String longReason = "x".repeat(80);
        assertEquals("x".repeat(57) + "...", CompareStep.shortReason(longReason));
    }
}
