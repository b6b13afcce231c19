package org.camkit.visual.opencv.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OverlayVisualizerTest {
    // OpenCV's JET colormap as RGB: applyColorMap gives BGR (128, 0, 0) at 0 and (0, 0, 128) at 255.
    private static final int[] JET_AT_0 = {0, 0, 128};
    private static final int[] JET_AT_255 = {128, 0, 0};

    private static OverlayVisualizer overlay;

    @BeforeAll
    static void activate() {
        overlay = new OverlayVisualizer();
    }

    @AfterAll
    static void deactivate() {
        overlay.deactivate();
    }

    @Test
    void zeroMapOnBlackImageGivesJetColourOfZeroNormalisedByMax() {
        RgbImage black = new RgbImage(3, 2, new byte[3 * 2 * 3]);

        RgbImage out = overlay.render(Requests.request(black, new float[6], Map.of("image-weight", "0.5")));

        for (int p = 0; p < 6; p++) {
            // 0.5 * 128 / 255 in blue only; dividing by the max turns it into full blue
            assertArrayEquals(new int[] {0, 0, 255}, pixel(out, p), "pixel " + p);
        }
    }

    @Test
    void knownPixelsMatchHandComputationOfShowCamOnImage() {
        RgbImage image = image(2, 1, 200, 100, 50, 10, 20, 30);
        float[] mask = {1f, 0f};

        RgbImage out = overlay.render(Requests.request(image, mask, Map.of()));

        // cam = 0.5 * heatmap / 255 + 0.5 * img / 255; the max is pixel 0 red: 0.5 * (128 + 200) / 255
        float max = 0.5f * (JET_AT_255[0] / 255f) + 0.5f * (200 / 255f);
        assertArrayEquals(new int[] {255, expected(0.5f * (100 / 255f), max), expected(0.5f * (50 / 255f), max)},
                pixel(out, 0));
        assertArrayEquals(new int[] {expected(0.5f * (10 / 255f), max), expected(0.5f * (20 / 255f), max),
                expected(0.5f * (JET_AT_0[2] / 255f) + 0.5f * (30 / 255f), max)}, pixel(out, 1));
        // the same numbers worked out by hand: 255 * 100 / 328 = 77.7, 255 * 158 / 328 = 122.8 (truncated)
        assertArrayEquals(new int[] {255, 77, 38}, pixel(out, 0));
        assertArrayEquals(new int[] {7, 15, 122}, pixel(out, 1));
    }

    @Test
    void imageWeightOneShowsOnlyTheImageNormalisedByItsMax() {
        RgbImage image = image(1, 1, 100, 50, 25);

        RgbImage out = overlay.render(Requests.request(image, new float[] {1f}, Map.of("image-weight", "1")));

        assertArrayEquals(new int[] {255, 127, 63}, pixel(out, 0));
    }

    @Test
    void imageWeightZeroShowsOnlyTheHeatmapNormalisedByItsMax() {
        RgbImage image = image(1, 1, 100, 50, 25);

        RgbImage out = overlay.render(Requests.request(image, new float[] {1f}, Map.of("image-weight", "0")));

        assertArrayEquals(new int[] {255, 0, 0}, pixel(out, 0));
    }

    @Test
    void higherImageWeightBringsTheOverlayCloserToTheImage() {
        RgbImage image = image(2, 1, 250, 250, 250, 0, 0, 0);
        float[] mask = {0f, 0f};

        int[] light = pixel(overlay.render(Requests.request(image, mask, Map.of("image-weight", "0.2"))), 0);
        int[] heavy = pixel(overlay.render(Requests.request(image, mask, Map.of("image-weight", "0.8"))), 0);

        // pixel 0 is white in the image and dark blue in the heatmap: more image weight means more red
        assertTrue(heavy[0] > light[0], "red grows with image weight: " + light[0] + " -> " + heavy[0]);
    }

    @Test
    void colormapOptionChangesTheColoursAndIgnoresCase() {
        RgbImage image = image(1, 1, 0, 0, 0);
        float[] mask = {0.3f};

        RgbImage jet = overlay.render(Requests.request(image, mask, Map.of()));
        RgbImage turbo = overlay.render(Requests.request(image, mask, Map.of("colormap", "turbo")));
        RgbImage turboUpper = overlay.render(Requests.request(image, mask, Map.of("colormap", "Turbo")));

        assertFalse(jet.equals(turbo));
        assertEquals(turbo, turboUpper);
    }

    @Test
    void unknownColormapIsRejectedNamingTheOptionAndTheChoices() {
        RgbImage image = image(1, 1, 0, 0, 0);

        CamException e = assertThrows(CamException.class,
                () -> overlay.render(Requests.request(image, new float[1], Map.of("colormap", "rainbowish"))));

        assertTrue(e.getMessage().contains("'colormap'"), e.getMessage());
        assertTrue(e.getMessage().contains("rainbowish"), e.getMessage());
        assertTrue(e.getMessage().contains("jet") && e.getMessage().contains("viridis"), e.getMessage());
    }

    @Test
    void imageWeightOutsideZeroToOneOrNotANumberIsRejected() {
        RgbImage image = image(1, 1, 0, 0, 0);
        for (String bad : List.of("1.5", "-0.1", "half", "NaN", "")) {
            CamException e = assertThrows(CamException.class,
                    () -> overlay.render(Requests.request(image, new float[1], Map.of("image-weight", bad))));
            assertTrue(e.getMessage().contains("'image-weight'") && e.getMessage().contains("0 to 1"),
                    e.getMessage());
        }
    }

    @Test
    void unknownOptionIsRejectedListingTheKnownOnes() {
        RgbImage image = image(1, 1, 0, 0, 0);

        CamException e = assertThrows(CamException.class,
                () -> overlay.render(Requests.request(image, new float[1], Map.of("imageweight", "0.3"))));

        assertTrue(e.getMessage().contains("'imageweight'"), e.getMessage());
        assertTrue(e.getMessage().contains("colormap, image-weight"), e.getMessage());
    }

    @Test
    void concurrentRendersOfDifferentSizesGiveTheSameResultsAsSequentialOnes() throws Exception {
        Random random = new Random(7);
        List<RenderRequest> requests = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int w = 5 + random.nextInt(40);
            int h = 5 + random.nextInt(40);
            byte[] rgb = new byte[w * h * 3];
            random.nextBytes(rgb);
            float[] cam = new float[w * h];
            for (int p = 0; p < cam.length; p++) {
                cam[p] = random.nextFloat();
            }
            requests.add(Requests.request(new RgbImage(w, h, rgb), cam, Map.of("image-weight", "0.3")));
        }
        List<RgbImage> expected = new ArrayList<>();
        for (RenderRequest r : requests) {
            expected.add(overlay.render(r));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RgbImage>> futures = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (RenderRequest r : requests) {
                    futures.add(pool.submit(() -> overlay.render(r)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(expected.get(i % requests.size()), futures.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void maskToBytesTruncatesLikeNumpyAndClampsOutOfRangeValues() {
        assertEquals(254, ColorMapping.toUint8(0.999f));
        assertEquals(255, ColorMapping.toUint8(1f));
        assertEquals(127, ColorMapping.toUint8(0.5f));
        assertEquals(0, ColorMapping.toUint8(-0.1f));
        assertEquals(255, ColorMapping.toUint8(1.5f));
        assertEquals(0, ColorMapping.toUint8(Float.NaN));
    }

    private static int expected(float cam, float max) {
        return (int) (255f * (cam / max));
    }

    static RgbImage image(int width, int height, int... rgb) {
        byte[] bytes = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            bytes[i] = (byte) rgb[i];
        }
        return new RgbImage(width, height, bytes);
    }

    static int[] pixel(RgbImage image, int index) {
        byte[] rgb = image.rgb();
        return new int[] {rgb[3 * index] & 0xff, rgb[3 * index + 1] & 0xff, rgb[3 * index + 2] & 0xff};
    }
}
