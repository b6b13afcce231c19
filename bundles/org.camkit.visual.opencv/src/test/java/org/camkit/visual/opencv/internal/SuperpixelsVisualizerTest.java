package org.camkit.visual.opencv.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.camkit.spi.Superpixels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SuperpixelsVisualizerTest {
    private static SuperpixelsVisualizer superpixels;
    private static OverlayVisualizer overlay;

    @BeforeAll
    static void activate() {
        superpixels = new SuperpixelsVisualizer();
        overlay = new OverlayVisualizer();
    }

    @AfterAll
    static void deactivate() {
        superpixels.deactivate();
        overlay.deactivate();
    }

    /** Left half red, right half blue. */
    private static RgbImage halves(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++) {
            rgb[3 * p + (p % width < width / 2 ? 0 : 2)] = (byte) 200;
        }
        return new RgbImage(width, height, rgb);
    }

    @Test
    void boundariesAreYellowOverTheOverlayAndEverythingElseIsTheOverlay() {
        RgbImage image = halves(32, 24);
        float[] cam = new float[32 * 24];
        for (int p = 0; p < cam.length; p++) {
            cam[p] = (p % 32) / 31f;
        }
        RgbImage drawn = superpixels.render(Requests.request(image, cam, Map.of("segments", "12")));
        RgbImage plain = overlay.render(Requests.request(image, cam, Map.of()));
        int[] labels = Superpixels.slic(image, 12).labels();
        int boundaries = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                int p = y * 32 + x;
                boolean edge = (x < 31 && labels[p + 1] != labels[p]) || (y < 23 && labels[p + 32] != labels[p]);
                boundaries += edge ? 1 : 0;
                assertArrayEquals(edge ? new int[] {255, 255, 0} : Requests.pixel(plain, x, y),
                        Requests.pixel(drawn, x, y), "pixel " + x + "," + y);
            }
        }
        assertTrue(boundaries > 0, "some boundary is drawn");
        // the colour edge between the halves is a segment boundary
        for (int y = 0; y < 24; y++) {
            assertEquals(255, Requests.pixel(drawn, 15, y)[1], "row " + y + " at the colour edge");
        }
    }

    @Test
    void segmentsMustBeAWholeNumberFromOneToThePixelCount() {
        RgbImage image = halves(4, 4);
        for (String bad : new String[] {"0", "17", "many"}) {
            CamException e = assertThrows(CamException.class,
                    () -> superpixels.render(Requests.request(image, new float[16], Map.of("segments", bad))));
            assertTrue(e.getMessage().contains("'segments'") && e.getMessage().contains("1 to 16"), e.getMessage());
        }
    }
}
