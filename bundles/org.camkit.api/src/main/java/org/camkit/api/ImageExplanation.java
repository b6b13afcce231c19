package org.camkit.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The explanation of one image.
 *
 * @param source      the image's label (file name or {@code <pixels WxH>})
 * @param image       the image resized to the model's input size, as the model saw it (or, when the request asked
 *                    for {@link ExplainRequest#originalSize()}, as decoded)
 * @param cam         the class activation map at the image's size, normalised to [0, 1], row-major
 *                    ({@code image.width() * image.height()} values)
 * @param output      the model output (logits for a classifier)
 * @param predicted   the index of the largest output (a detector's: the class of its top detection; -1 when there is
 *                    none, or the output has no one prediction, e.g. segmentation maps)
 * @param predictedLabel the label of {@code predicted}
 * @param target      what was explained
 * @param targetScore the target's score
 * @param targetClass the class index explained, or -1
 * @param gradient    for guided methods, the gradient image at the image's size, {@code [3, H, W]} (RGB planes,
 *                    row-major, raw values); null otherwise
 * @param concepts    for factorisation methods (Deep Feature Factorization), the concepts; empty otherwise
 * @param details     numbers the method reports beside the map, by name (e.g. LIME's surrogate {@code r2}); empty
 *                    for most methods
 * @param detections  for detectors, what the model detected in the image (boxes in pixels of {@link #image()}),
 *                    best first, those the target scored marked {@link Detection#explained()}; empty for other
 *                    models (since 0.6)
 * @since 0.1
 */
public record ImageExplanation(String source, RgbImage image, float[] cam, float[] output, int predicted,
        String predictedLabel, String target, float targetScore, int targetClass, float[] gradient,
        List<Concept> concepts, Map<String, Double> details, List<Detection> detections) {

    /** Validates and copies. */
    public ImageExplanation {
        Objects.requireNonNull(image, "image");
        if (cam.length != image.width() * image.height()) {
            throw new IllegalArgumentException("map size does not match the image");
        }
        cam = cam.clone();
        output = output.clone();
        if (gradient != null && gradient.length != 3 * cam.length) {
            throw new IllegalArgumentException("gradient image size does not match the image");
        }
        gradient = gradient == null ? null : gradient.clone();
        concepts = List.copyOf(concepts);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        detections = List.copyOf(detections);
    }

    /**
     * An explanation of a model that is not a detector.
     *
     * @param source         the image's label
     * @param image          the image
     * @param cam            the map
     * @param output         the model output
     * @param predicted      the index of the largest output
     * @param predictedLabel its label
     * @param target         what was explained
     * @param targetScore    the target's score
     * @param targetClass    the class explained, or -1
     * @param gradient       the gradient image, or null
     * @param concepts       the concepts, or empty
     * @param details        the method's numbers, or empty
     */
    public ImageExplanation(String source, RgbImage image, float[] cam, float[] output, int predicted,
            String predictedLabel, String target, float targetScore, int targetClass, float[] gradient,
            List<Concept> concepts, Map<String, Double> details) {
        this(source, image, cam, output, predicted, predictedLabel, target, targetScore, targetClass, gradient,
                concepts, details, List.of());
    }

    /**
     * An explanation without details.
     *
     * @param source         the image's label
     * @param image          the image
     * @param cam            the map
     * @param output         the model output
     * @param predicted      the index of the largest output
     * @param predictedLabel its label
     * @param target         what was explained
     * @param targetScore    the target's score
     * @param targetClass    the class explained, or -1
     * @param gradient       the gradient image, or null
     * @param concepts       the concepts, or empty
     */
    public ImageExplanation(String source, RgbImage image, float[] cam, float[] output, int predicted,
            String predictedLabel, String target, float targetScore, int targetClass, float[] gradient,
            List<Concept> concepts) {
        this(source, image, cam, output, predicted, predictedLabel, target, targetScore, targetClass, gradient,
                concepts, Map.of());
    }

    /** @return a copy of the gradient image {@code [3, H, W]}, or null when the method gives none */
    @Override
    public float[] gradient() {
        return gradient == null ? null : gradient.clone();
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

    /** Why a map comes out {@linkplain #flat() flat}, most likely, for messages. */
    public static final String FLAT_CAUSES = "a normalisation (mean/std in the model's descriptor) other than the "
            + "model was trained with, a target without gradient at this layer (try another layer or target), or a "
            + "layer whose activations do not vary over the image (a class token: pick a patch-token layer)";

    /**
     * @return whether the map is flat: no value above 0 (a constant map normalises to all zero), so it shows nothing
     *         and has no peak; {@link #FLAT_CAUSES} says why that happens
     * @since 0.3
     */
    public boolean flat() {
        for (float v : cam) {
            if (v > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the row-major index of the map's largest value, the first of equal ones (x = index % width, y = index /
     *         width); 0 for a {@linkplain #flat() flat} map, which has no peak
     * @since 0.7
     */
    public int peak() {
        int best = 0;
        for (int i = 1; i < cam.length; i++) {
            if (cam[i] > cam[best]) {
                best = i;
            }
        }
        return best;
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
