package org.camkit.visual.opencv.internal;

import static org.camkit.visual.opencv.internal.Requests.filled;
import static org.camkit.visual.opencv.internal.Requests.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.camkit.api.RgbImage;
import org.camkit.api.Tile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GridMontageTest {
    private static final int GAP = GridMontage.GAP;
    private static final int[] WHITE = {255, 255, 255};
    private static GridMontage montage;

    @BeforeAll
    static void activate() {
        montage = new GridMontage();
    }

    @Test
    void sizeIsColumnsTimesRowsOfCellsEachAPictureAndATextBand() {
        List<Tile> tiles = List.of(new Tile(filled(112, 112, 255, 0, 0), "image", ""),
                new Tile(filled(112, 112, 0, 255, 0), "gradcam", "class 1 (duck), 120 ms"),
                new Tile(filled(112, 112, 0, 0, 255), "scorecam", "class 1 (duck), 3100 ms"));

        RgbImage grid = montage.compose(tiles, 2);

        assertEquals(2 * (112 + 2 * GAP), grid.width(), "two columns of 112 px pictures with a gap on each side");
        int rowHeight = grid.height() / 2;
        assertEquals(0, grid.height() % 2, "two rows of equal height");
        assertTrue(rowHeight > GAP + 112 + 20, "each row has a text band under its picture: " + rowHeight);
        int cell = 112 + 2 * GAP;
        assertArrayEquals(new int[] {255, 0, 0}, pixel(grid, GAP + 50, GAP + 50), "tile 0 at row 0, column 0");
        assertArrayEquals(new int[] {0, 255, 0}, pixel(grid, cell + GAP + 50, GAP + 50), "tile 1 at column 1");
        assertArrayEquals(new int[] {0, 0, 255}, pixel(grid, GAP + 50, rowHeight + GAP + 50), "tile 2 in row 1");
        assertArrayEquals(WHITE, pixel(grid, cell + 50, rowHeight + GAP + 50), "no tile 3: white background");
    }

    @Test
    void titleAndCaptionAreDrawnInTheBandUnderTheirPicture() {
        List<Tile> titled = List.of(new Tile(filled(120, 100, 0, 0, 0), "gradcam", "class 1, 120 ms"));
        List<Tile> blank = List.of(new Tile(filled(120, 100, 0, 0, 0), "", ""));

        RgbImage withText = montage.compose(titled, 1);
        RgbImage withoutText = montage.compose(blank, 1);

        int bandTop = GAP + 100;
        assertTrue(inkBelow(withText, bandTop) > 30, "title and caption pixels in the band");
        assertEquals(0, inkBelow(withoutText, bandTop), "an empty title leaves the band white");
        assertTrue(withText.height() > withoutText.height(), "a caption adds a line to the band");
    }

    @Test
    void picturesOfOtherSizesAreScaledToTheTallestKeepingTheirAspect() {
        List<Tile> tiles = List.of(new Tile(filled(200, 100, 255, 0, 0), "wide", ""),
                new Tile(filled(50, 50, 0, 0, 255), "small", ""));

        RgbImage grid = montage.compose(tiles, 2);

        // both pictures become 100 px tall: 200x100 and 100x100; cells are as wide as the widest
        int cell = 200 + 2 * GAP;
        assertEquals(2 * cell, grid.width());
        assertArrayEquals(new int[] {0, 0, 255}, pixel(grid, cell + GAP + 50 + 2, GAP + 98), "scaled to 100 px");
        assertArrayEquals(new int[] {0, 0, 255}, pixel(grid, cell + GAP + 50 + 97, GAP + 1));
        assertArrayEquals(WHITE, pixel(grid, cell + GAP + 50 - 3, GAP + 50), "centred: white to its left");
        assertArrayEquals(WHITE, pixel(grid, cell + GAP + 150 + 3, GAP + 50), "and to its right");
    }

    @Test
    void moreColumnsThanTilesGiveOneRowOfTheTiles() {
        RgbImage grid = montage.compose(List.of(new Tile(filled(10, 10, 0, 0, 0), "a", "")), 4);

        assertEquals(10 + 2 * GAP, grid.width());
    }

    @Test
    void noTilesOrNoColumnsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> montage.compose(List.of(), 2));
        assertThrows(IllegalArgumentException.class,
                () -> montage.compose(List.of(new Tile(filled(1, 1, 0, 0, 0), "a", "")), 0));
    }

    private static int inkBelow(RgbImage image, int top) {
        int ink = 0;
        for (int y = top; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int[] p = pixel(image, x, y);
                if (p[0] < 200 && p[1] < 200 && p[2] < 200) {
                    ink++;
                }
            }
        }
        return ink;
    }
}
