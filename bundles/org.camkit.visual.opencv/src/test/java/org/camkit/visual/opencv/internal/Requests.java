package org.camkit.visual.opencv.internal;

import java.util.List;
import java.util.Map;
import org.camkit.api.Concept;
import org.camkit.api.Detection;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;

// Builds render requests around hand-made images, maps, gradient images, concepts and detections.
final class Requests {
    private Requests() {
    }

    static RenderRequest request(RgbImage image, float[] cam, Map<String, String> options) {
        return new RenderRequest(result(image, cam, null, List.of()), List.of(), options);
    }

    static RenderRequest gradient(RgbImage image, float[] planes) {
        return new RenderRequest(result(image, new float[image.width() * image.height()], planes, List.of()),
                List.of(), Map.of());
    }

    static RenderRequest concepts(RgbImage image, List<Concept> concepts, Map<String, String> options) {
        return new RenderRequest(result(image, new float[image.width() * image.height()], null, concepts),
                List.of(), options);
    }

    static RenderRequest detections(RgbImage image, float[] cam, List<Detection> detections,
            Map<String, String> options) {
        return new RenderRequest(new ImageExplanation("test.png", image, cam, new float[] {1f, 2f}, 1, "b",
                "detection", 0.9f, 1, null, List.of(), Map.of(), detections), List.of(), options);
    }

    static ImageExplanation result(RgbImage image, float[] cam, float[] gradient, List<Concept> concepts) {
        return new ImageExplanation("test.png", image, cam, new float[] {1f, 2f}, 1, "b", "class 1 (b)", 2f, 1,
                gradient, concepts);
    }

    static RgbImage filled(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++) {
            rgb[3 * p] = (byte) r;
            rgb[3 * p + 1] = (byte) g;
            rgb[3 * p + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }

    static int[] pixel(RgbImage image, int x, int y) {
        byte[] rgb = image.rgb();
        int i = 3 * (y * image.width() + x);
        return new int[] {rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff};
    }
}
