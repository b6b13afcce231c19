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

    /** A descriptor with mean 0 and std 1: the normalised image is the 8-bit picture / 255. */
    private static org.camkit.spi.ModelDescriptor plain() {
        return new org.camkit.spi.ModelDescriptor("m", "fake", java.nio.file.Path.of("/m"), "", 16, 16,
                new float[3], new float[] {1, 1, 1}, java.util.List.of(), "layer", java.util.Map.of());
    }

    @Test
    void inpaintingKeepsWhatIsPresentFillsAHoleFromItsBorderAndGivesTheMeanWhenAllIsMasked() {
        int h = 16, w = 16, plane = h * w;
        float[] image = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            java.util.Arrays.fill(image, c * plane, (c + 1) * plane, (40 + 50 * c) / 255f);
        }
        int odd = 5 * w + 5;
        image[odd] = 200 / 255f; // one odd pixel, masked below in its red channel only
        PartitionShapOwen.Masker masker = PartitionShapMasker.inpaint(image, h, w, plain(),
                org.opencv.photo.Photo.INPAINT_TELEA);
        boolean[] present = new boolean[3 * plane];
        java.util.Arrays.fill(present, true);
        float[] row = new float[3 * plane];
        masker.write(present, row, 0);
        assertArrayEquals(image, row, 1e-6f, "nothing masked: the 8-bit picture itself");
        present[odd] = false;
        masker.write(present, row, 0);
        // the whole pixel is inpainted from its uniform neighbours: 40, 90, 140
        assertEquals(40 / 255f, row[odd], 1e-6f);
        assertEquals(90 / 255f, row[plane + odd], 1e-6f);
        assertEquals(140 / 255f, row[2 * plane + odd], 1e-6f);
        assertEquals(40 / 255f, row[odd + 1], 1e-6f, "a pixel present keeps its value");
        java.util.Arrays.fill(present, false);
        masker.write(present, row, 0);
        assertEquals((255 * 40 + 200) / 256f / 255f, row[0], 1e-6f, "every pixel masked: the mean colour");
        assertEquals(90 / 255f, row[plane + 3], 1e-6f);
    }
}
