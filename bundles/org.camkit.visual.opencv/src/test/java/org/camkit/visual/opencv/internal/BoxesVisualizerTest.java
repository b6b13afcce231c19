package org.camkit.visual.opencv.internal;

import static org.camkit.visual.opencv.internal.Requests.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.camkit.api.CamException;
import org.camkit.api.Detection;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BoxesVisualizerTest {
    private static final int SIZE = 112;
    private static final Map<String, String> NO_LABELS = Map.of("labels", "false");

    private static BoxesVisualizer boxes;
    private static OverlayVisualizer overlay;

    @BeforeAll
    static void activate() {
        boxes = new BoxesVisualizer();
        overlay = new OverlayVisualizer();
    }

    @AfterAll
    static void deactivate() {
        boxes.deactivate();
        overlay.deactivate();
    }

    @Test
    void anUnexplainedBoxIsAOnePixelLineInItsClassColourOnItsEdgeAndTheRestIsTheOverlay() {
        // pixels 20..79 by 30..89: the ones whose centres lie in the box
        Detection cat = new Detection(2, "cat", 0.5f, 20f, 30f, 80f, 90f, false);

        RgbImage drawn = boxes.render(request(List.of(cat), NO_LABELS));

        RgbImage plain = overlay.render(request(List.of(), Map.of()));
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean inside = x >= 20 && x <= 79 && y >= 30 && y <= 89;
                boolean edge = inside && (x == 20 || x == 79 || y == 30 || y == 89);
                assertArrayEquals(edge ? BoxesVisualizer.classColour(2) : pixel(plain, x, y), pixel(drawn, x, y),
                        "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void theExplainedBoxIsThickAndWhiteWithADarkOutline() {
        Detection dog = new Detection(2, "dog", 0.9f, 20f, 30f, 80f, 90f, true);

        RgbImage drawn = boxes.render(request(List.of(dog), NO_LABELS));

        RgbImage plain = overlay.render(request(List.of(), Map.of()));
        // across the left edge at x = 20, row 60: dark, three white pixels centred on the edge, dark
        assertArrayEquals(pixel(plain, 17, 60), pixel(drawn, 17, 60));
        assertArrayEquals(BoxesVisualizer.DARK, pixel(drawn, 18, 60));
        for (int x = 19; x <= 21; x++) {
            assertArrayEquals(BoxesVisualizer.EXPLAINED, pixel(drawn, x, 60), "x " + x);
        }
        assertArrayEquals(BoxesVisualizer.DARK, pixel(drawn, 22, 60));
        assertArrayEquals(pixel(plain, 23, 60), pixel(drawn, 23, 60));
        // and the same across the bottom edge at y = 89
        assertArrayEquals(BoxesVisualizer.DARK, pixel(drawn, 50, 87));
        assertArrayEquals(BoxesVisualizer.EXPLAINED, pixel(drawn, 50, 89));
        assertArrayEquals(BoxesVisualizer.DARK, pixel(drawn, 50, 91));
        assertArrayEquals(pixel(plain, 50, 60), pixel(drawn, 50, 60), "the inside is the overlay");
    }

    @Test
    void theExplainedBoxIsDrawnOverTheUnexplainedOnesWhereverItIsListed() {
        // both boxes share the left edge x = 20 for rows 40..79
        Detection explained = new Detection(0, "dog", 0.6f, 20f, 20f, 80f, 80f, true);
        Detection other = new Detection(3, "cat", 0.9f, 20f, 40f, 100f, 100f, false);

        for (List<Detection> order : List.of(List.of(explained, other), List.of(other, explained))) {
            RgbImage drawn = boxes.render(request(order, NO_LABELS));

            assertArrayEquals(BoxesVisualizer.EXPLAINED, pixel(drawn, 20, 60), "shared edge, order " + order);
            assertArrayEquals(BoxesVisualizer.classColour(3), pixel(drawn, 20, 95), "the other's own edge");
        }
    }

    @Test
    void unexplainedBoxesAreDrawnBestOnTop() {
        Detection best = new Detection(1, "a", 0.9f, 20f, 20f, 60f, 60f, false);
        Detection worse = new Detection(4, "b", 0.3f, 20f, 20f, 90f, 90f, false);

        RgbImage drawn = boxes.render(request(List.of(best, worse), NO_LABELS));

        assertArrayEquals(BoxesVisualizer.classColour(1), pixel(drawn, 20, 40), "shared edge");
        assertArrayEquals(BoxesVisualizer.classColour(4), pixel(drawn, 20, 75));
    }

    @Test
    void theCaptionIsATagOnTheBoxsTopEdgeHoldingItsText() {
        Detection cat = new Detection(2, "cat", 0.5f, 20f, 50f, 100f, 100f, false);

        RgbImage captioned = boxes.render(request(List.of(cat), Map.of()));

        RgbImage bare = boxes.render(request(List.of(cat), NO_LABELS));
        Region changed = Region.of(captioned, bare);
        assertTrue(changed.bottom() == 49 && changed.top() > 49 - 20, "rows just above the box: " + changed);
        assertTrue(changed.left() == 20 && changed.right() < 100, "from the box's left edge: " + changed);
        int[] fill = BoxesVisualizer.classColour(2);
        assertTrue(count(captioned, changed, fill) > count(captioned, changed, BoxesVisualizer.WHITE),
                "mostly the class colour");
        // anti-aliased strokes of small letters rarely reach full white
        assertTrue(countWhere(captioned, changed.inner(2), rgb -> Arrays.stream(rgb).min().orElseThrow() > 180) > 10,
                "white letters on a dark tag");
    }

    @Test
    void aBoxAtTheTopOfThePictureHasItsCaptionInsideIt() {
        Detection dog = new Detection(0, "dog", 0.9f, 30f, 0f, 110f, 60f, true);

        RgbImage captioned = boxes.render(request(List.of(dog), Map.of()));

        Region changed = Region.of(captioned, boxes.render(request(List.of(dog), NO_LABELS)));
        assertTrue(changed.top() == 0 && changed.bottom() < 20, "hangs from the top edge: " + changed);
        assertTrue(changed.left() >= 29 && changed.right() <= 110, "within the box: " + changed);
        assertTrue(count(captioned, changed, BoxesVisualizer.EXPLAINED) > count(captioned, changed,
                BoxesVisualizer.DARK), "the explained caption is a white tag");
        assertTrue(countWhere(captioned, changed.inner(2), rgb -> Arrays.stream(rgb).max().orElseThrow() < 80) > 10,
                "with dark letters (within its dark border)");
    }

    @Test
    void theCaptionIsTheLabelAndTheScoreWithTwoDecimals() {
        assertEquals("person 0.87", BoxesVisualizer.caption(new Detection(0, "person", 0.8666f, 0, 0, 1, 1, true)));
        assertEquals("7 1.00", BoxesVisualizer.caption(new Detection(7, "7", 0.999f, 0, 0, 1, 1, false)));
    }

    @Test
    void boxesReachingOutOfThePictureAreClippedAndThoseWhollyOutsideAreLeftOut() {
        List<Detection> outside = List.of(new Detection(1, "far", 0.8f, 200f, 20f, 300f, 80f, false),
                new Detection(1, "below", 0.8f, 20f, 200f, 80f, 300f, false),
                new Detection(1, "before", 0.8f, -50f, 20f, -10f, 80f, true),
                new Detection(1, "above", 0.8f, 20f, -50f, 80f, -10f, false));
        Detection across = new Detection(1, "big", 0.8f, -10f, -10f, 200f, 200f, false);

        RgbImage plain = overlay.render(request(List.of(), Map.of()));
        assertEquals(plain, boxes.render(request(outside, Map.of())));
        RgbImage clipped = boxes.render(request(List.of(across), NO_LABELS));
        assertArrayEquals(BoxesVisualizer.classColour(1), pixel(clipped, 0, 60), "left edge on the border");
        assertArrayEquals(BoxesVisualizer.classColour(1), pixel(clipped, SIZE - 1, 60), "right edge on the border");
        assertArrayEquals(pixel(plain, 60, 60), pixel(clipped, 60, 60));
    }

    @Test
    void aResultWithoutDetectionsIsExactlyTheOverlayWithTheSameOptions() {
        Map<String, String> options = Map.of("image-weight", "0.3", "colormap", "turbo");

        RgbImage drawn = boxes.render(request(List.of(), options));

        assertEquals(overlay.render(request(List.of(), options)), drawn);
        assertFalse(drawn.equals(overlay.render(request(List.of(), Map.of()))), "the options were applied");
    }

    @Test
    void unknownOptionIsRefusedListingTheKnownOnes() {
        CamException e = assertThrows(CamException.class,
                () -> boxes.render(request(List.of(), Map.of("label", "false"))));

        assertTrue(e.getMessage().contains("'boxes'") && e.getMessage().contains("'label'"), e.getMessage());
        assertTrue(e.getMessage().contains("colormap, image-weight, labels"), e.getMessage());
    }

    @Test
    void labelsMustBeTrueOrFalse() {
        CamException e = assertThrows(CamException.class,
                () -> boxes.render(request(List.of(), Map.of("labels", "no"))));

        assertTrue(e.getMessage().contains("'labels'") && e.getMessage().contains("true or false"), e.getMessage());
        assertEquals(boxes.render(request(List.of(), Map.of("labels", "FALSE"))),
                overlay.render(request(List.of(), Map.of())));
    }

    /** A colour gradient under a map that peaks at the top left, both covering every channel value. */
    private static RenderRequest request(List<Detection> detections, Map<String, String> options) {
        byte[] rgb = new byte[SIZE * SIZE * 3];
        float[] cam = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int p = y * SIZE + x;
                rgb[3 * p] = (byte) (2 * x);
                rgb[3 * p + 1] = (byte) (2 * y);
                rgb[3 * p + 2] = (byte) (x + y);
                cam[p] = 1f - (x + y) / (2f * SIZE);
            }
        }
        return Requests.detections(new RgbImage(SIZE, SIZE, rgb), cam, detections, options);
    }

    private static int count(RgbImage image, Region region, int[] rgb) {
        return countWhere(image, region, pixel -> Arrays.equals(rgb, pixel));
    }

    private static int countWhere(RgbImage image, Region region, Predicate<int[]> test) {
        int count = 0;
        for (int y = region.top(); y <= region.bottom(); y++) {
            for (int x = region.left(); x <= region.right(); x++) {
                count += test.test(pixel(image, x, y)) ? 1 : 0;
            }
        }
        return count;
    }

    // The bounds of the pixels where two pictures differ.
    private record Region(int left, int top, int right, int bottom) {
        static Region of(RgbImage a, RgbImage b) {
            int left = Integer.MAX_VALUE;
            int top = Integer.MAX_VALUE;
            int right = -1;
            int bottom = -1;
            for (int y = 0; y < a.height(); y++) {
                for (int x = 0; x < a.width(); x++) {
                    if (!Arrays.equals(pixel(a, x, y), pixel(b, x, y))) {
                        left = Math.min(left, x);
                        top = Math.min(top, y);
                        right = Math.max(right, x);
                        bottom = Math.max(bottom, y);
                    }
                }
            }
            assertTrue(right >= 0, "the pictures differ");
            return new Region(left, top, right, bottom);
        }

        Region inner(int by) {
            return new Region(left + by, top + by, right - by, bottom - by);
        }
    }
}
