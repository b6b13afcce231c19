package org.camkit.visual.opencv.internal;

import static org.camkit.visual.opencv.internal.OverlayVisualizerTest.image;
import static org.camkit.visual.opencv.internal.OverlayVisualizerTest.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HeatmapVisualizerTest {
    private static HeatmapVisualizer heatmap;

    @BeforeAll
    static void activate() {
        heatmap = new HeatmapVisualizer();
    }

    @AfterAll
    static void deactivate() {
        heatmap.deactivate();
    }

    @Test
    void showsTheJetColoursOfTheMapIgnoringTheImage() {
        RgbImage image = image(2, 1, 200, 200, 200, 200, 200, 200);

        RgbImage out = heatmap.render(Requests.request(image, new float[] {0f, 1f}, Map.of()));

        assertArrayEquals(new int[] {0, 0, 128}, pixel(out, 0));
        assertArrayEquals(new int[] {128, 0, 0}, pixel(out, 1));
    }

    @Test
    void hotColormapMapsZeroToBlackAndOneToWhite() {
        RgbImage image = image(2, 1, 9, 9, 9, 9, 9, 9);

        RgbImage out = heatmap.render(Requests.request(image, new float[] {0f, 1f}, Map.of("colormap", "hot")));

        assertArrayEquals(new int[] {0, 0, 0}, pixel(out, 0));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(out, 1));
    }

    @Test
    void imageWeightIsNotAnOptionOfTheHeatmap() {
        RgbImage image = image(1, 1, 0, 0, 0);

        CamException e = assertThrows(CamException.class,
                () -> heatmap.render(Requests.request(image, new float[1], Map.of("image-weight", "0.5"))));

        assertTrue(e.getMessage().contains("'heatmap'") && e.getMessage().contains("'image-weight'"),
                e.getMessage());
    }
}
