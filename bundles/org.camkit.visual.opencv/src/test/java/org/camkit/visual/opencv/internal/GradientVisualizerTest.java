package org.camkit.visual.opencv.internal;

import static org.camkit.visual.opencv.internal.Requests.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class GradientVisualizerTest {
    private final GradientVisualizer gradient = new GradientVisualizer();

    @Test
    void onePixelIsStandardisedOverItsThreeChannels() {
        // R, G, B = 1, 2, 3: mean 2, population std sqrt(2/3) = 0.816497
        RgbImage out = gradient.render(Requests.gradient(Requests.filled(1, 1, 0, 0, 0), new float[] {1, 2, 3}));

        // (1 - 2) / 0.816507 * 0.1 + 0.5 = 0.377527 -> 96.27; 0.5 -> 127.5; 0.622473 -> 158.73 (truncated)
        assertArrayEquals(new int[] {96, 127, 158}, pixel(out, 0, 0));
    }

    @Test
    void planesBecomeInterleavedRgbAndOutliersAreClipped() {
        // a 6x6 image, all zero but the blue plane at pixel (1, 1): 108 values, one of them 50
        float[] planes = new float[3 * 36];
        planes[2 * 36 + 7] = 50f;

        RgbImage out = gradient.render(Requests.gradient(Requests.filled(6, 6, 0, 0, 0), planes));

        // mean 50/108, std 50 * sqrt(107) / 108: the outlier is 10.3 std above (clipped to 1), the rest
        // 1/sqrt(107) = 0.0967 std below: (0.5 - 0.00967) * 255 = 125.03
        assertArrayEquals(new int[] {125, 125, 255}, pixel(out, 1, 1));
        assertArrayEquals(new int[] {125, 125, 125}, pixel(out, 0, 0));
        assertArrayEquals(new int[] {125, 125, 125}, pixel(out, 2, 1));
    }

    @Test
    void constantGradientIsMidGrey() {
        float[] planes = {4, 4, 4, 4, 4, 4};

        RgbImage out = gradient.render(Requests.gradient(Requests.filled(2, 1, 0, 0, 0), planes));

        assertArrayEquals(new int[] {127, 127, 127}, pixel(out, 1, 0));
    }

    @Test
    void resultWithoutGradientImageIsRefusedNamingTheGuidedMethods() {
        CamException e = assertThrows(CamException.class, () -> gradient.render(
                Requests.request(Requests.filled(1, 1, 0, 0, 0), new float[1], Map.of())));

        assertTrue(e.getMessage().contains("gradient image") && e.getMessage().contains("guidedbackprop")
                && e.getMessage().contains("guidedgradcam"), e.getMessage());
    }

    @Test
    void sizeIsTheImagesSize() {
        RgbImage out = gradient.render(Requests.gradient(Requests.filled(3, 2, 0, 0, 0), new float[18]));

        assertEquals(3, out.width());
        assertEquals(2, out.height());
    }
}
