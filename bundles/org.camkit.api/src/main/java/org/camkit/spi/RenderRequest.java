package org.camkit.spi;

import java.util.Map;
import java.util.Objects;
import org.camkit.api.RgbImage;

/**
 * Input to {@link Visualizer#render}.
 *
 * @param image   the model-input-sized image the map explains
 * @param cam     the normalised map in [0, 1], {@code image.width() * image.height()} values, row-major
 * @param options visualizer options, e.g. {@code image-weight=0.5}; never null
 * @since 0.1
 */
public record RenderRequest(RgbImage image, float[] cam, Map<String, String> options) {

    /** Validates and copies. */
    public RenderRequest {
        Objects.requireNonNull(image, "image");
        if (cam.length != image.width() * image.height()) {
            throw new IllegalArgumentException("map has " + cam.length + " values; the image has "
                    + image.width() + "x" + image.height() + " pixels");
        }
        cam = cam.clone();
        options = Map.copyOf(options);
    }

    /** @return a copy of the map */
    @Override
    public float[] cam() {
        return cam.clone();
    }
}
