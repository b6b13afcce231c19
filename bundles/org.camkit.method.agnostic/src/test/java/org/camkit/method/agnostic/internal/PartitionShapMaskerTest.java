package org.camkit.method.agnostic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The backgrounds: OpenCV's box blur with a reflected border, and a constant colour. */
class PartitionShapMaskerTest {

    @Test
    void theBorderIsReflectedWithoutRepeatingTheEdge() {
        // gfedcb|abcdefgh|gfedcba
        int[] expected = {6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 0, 1};
        for (int p = -6; p < 16; p++) {
            assertEquals(expected[p + 6], PartitionShapMasker.reflect101(p, 8), "p = " + p);
        }
        assertEquals(0, PartitionShapMasker.reflect101(-3, 1));
        assertEquals(1, PartitionShapMasker.reflect101(5, 3)); // 5 -> -1 -> 1
    }

    @Test
    void aBlurIsTheMeanOverAWindowAnchoredAtHalfItsSide() {
        // one row 0 1 2 3 (one channel), 3 x 3 window: rows reflect onto themselves, columns 1|0 1 2 3|2
        float[] row = {0, 1, 2, 3};
        assertArrayEquals(new float[] {2 / 3f, 1, 2, 7 / 3f}, PartitionShapMasker.blur(row, 1, 1, 4, 3), 1e-6f);
        // a 4-wide window starts 2 left of the pixel: pixel 0 sees 2 1 | 0 1
        assertArrayEquals(new float[] {1, 1, 1.5f, 2}, PartitionShapMasker.blur(row, 1, 1, 4, 4), 1e-6f);
        // a window wider than the image reflects again: 7 wide on 0 1 2 3 at pixel 0 sees 3 2 1 | 0 1 2 3
        assertEquals(12 / 7f, PartitionShapMasker.blur(row, 1, 1, 4, 7)[0], 1e-6f);
    }

    @Test
    void aBlurWorksPerChannelAndInBothDirections() {
        // 3 x 3, channel 0 a vertical ramp, channel 1 constant: a 3 x 3 blur of the ramp's centre row is its mean
        float[] image = {0, 0, 0, 3, 3, 3, 6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 5};
        float[] out = PartitionShapMasker.blur(image, 2, 3, 3, 3);
        assertArrayEquals(new float[] {2, 2, 2, 3, 3, 3, 4, 4, 4}, java.util.Arrays.copyOf(out, 9), 1e-6f);
        assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5, 5, 5, 5}, java.util.Arrays.copyOfRange(out, 9, 18), 1e-6f);
    }

    @Test
    void aColourFillsEachChannel() {
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, PartitionShapMasker.fill(new float[] {1, 2, 3}, 1, 2));
    }
}
