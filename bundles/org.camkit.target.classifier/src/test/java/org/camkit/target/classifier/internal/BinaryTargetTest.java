package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

class BinaryTargetTest {

    @Test
    void classOneScoresTheLogitWithSeedPlusOne() {
        TargetScore score = new BinaryTarget().resolve(new TargetRequest("1", new float[] {1.75f}, MODEL));
        assertEquals(1.75f, score.score());
        assertArrayEquals(new float[] {1}, score.seed());
        assertEquals(1, score.classIndex());
    }

    @Test
    void classZeroScoresTheNegatedLogitWithSeedMinusOne() {
        TargetScore score = new BinaryTarget().resolve(new TargetRequest("0", new float[] {1.75f}, MODEL));
        assertEquals(-1.75f, score.score());
        assertArrayEquals(new float[] {-1}, score.seed());
        assertEquals(0, score.classIndex());
    }

    @Test
    void aMultiValueOutputIsRejectedNamingItsShape() {
        CamException e = assertThrows(CamException.class, () -> new BinaryTarget().resolve(
                new TargetRequest("1", new float[] {0.5f, 2.5f, -1f}, MODEL)));
        assertTrue(e.getMessage().contains("exactly one output value") && e.getMessage().contains("[3]"),
                e.getMessage());
    }
}
