package org.camkit.spi;

import java.util.Map;
import java.util.Objects;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;

/**
 * Input to {@link Visualizer#render}.
 *
 * @param result  one image's explanation: the model-input-sized image, its normalised map, and where the method
 *                gives them the gradient image and the concepts
 * @param labels  the model's class labels (for legends); may be empty
 * @param options visualizer options, e.g. {@code image-weight=0.5}; never null
 * @since 0.1
 */
public record RenderRequest(ImageExplanation result, java.util.List<String> labels, Map<String, String> options) {

    /** Validates and copies. */
    public RenderRequest {
        Objects.requireNonNull(result, "result");
        labels = java.util.List.copyOf(labels);
        options = Map.copyOf(options);
    }

    /** @return the image the map explains, at the model's input size */
    public RgbImage image() {
        return result.image();
    }

    /** @return a copy of the normalised map in [0, 1], row-major, one value per pixel of {@link #image()} */
    public float[] cam() {
        return result.cam();
    }
}
