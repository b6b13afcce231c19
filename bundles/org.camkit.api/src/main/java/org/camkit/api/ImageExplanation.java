package org.camkit.api;

import java.util.Objects;

/**
 * The explanation of one image.
 *
 * @param source      the image's label (file name or {@code <pixels WxH>})
 * @param image       the image resized to the model's input size, as the model saw it
 * @param cam         the class activation map at input size, normalised to [0, 1], row-major
 *                    ({@code image.width() * image.height()} values)
 * @param output      the model output (logits for a classifier)
 * @param predicted   the index of the largest output
 * @param predictedLabel the label of {@code predicted}
 * @param target      what was explained
 * @param targetScore the target's score
 * @param targetClass the class index explained, or -1
 * @since 0.1
 */
public record ImageExplanation(String source, RgbImage image, float[] cam, float[] output, int predicted,
        String predictedLabel, String target, float targetScore, int targetClass) {

    /** Validates and copies. */
    public ImageExplanation {
        Objects.requireNonNull(image, "image");
        if (cam.length != image.width() * image.height()) {
            throw new IllegalArgumentException("map size does not match the image");
        }
        cam = cam.clone();
        output = output.clone();
    }

    /** @return a copy of the map */
    @Override
    public float[] cam() {
        return cam.clone();
    }

    /** @return a copy of the output */
    @Override
    public float[] output() {
        return output.clone();
    }

    /** @return the map's width (the model's input width) */
    public int width() {
        return image.width();
    }

    /** @return the map's height (the model's input height) */
    public int height() {
        return image.height();
    }
}
