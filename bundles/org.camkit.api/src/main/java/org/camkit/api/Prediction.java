package org.camkit.api;

import java.util.List;
import java.util.Objects;

/**
 * What a model predicts for one image, without an explanation: the result of {@link Explainer#predict}.
 *
 * @param source         the image's label (file name, upload name or {@code <pixels WxH>})
 * @param output         the model output for the image (logits for a classifier), flattened row-major
 * @param predicted      the index of the largest output for a classifier, the class of the top detection for a
 *                       detector; -1 when there is none, or the output has no one prediction (segmentation maps)
 * @param predictedLabel the label of {@code predicted}
 * @param detections     for detectors, the detections (boxes in pixels of the model's input, or of the image as
 *                       decoded with {@link ExplainRequest#originalSize()}), best first; empty for other models
 * @since 0.7
 */
public record Prediction(String source, float[] output, int predicted, String predictedLabel,
        List<Detection> detections) {

    /** Validates and copies. */
    public Prediction {
        Objects.requireNonNull(source, "source");
        output = output.clone();
        detections = List.copyOf(detections);
    }

    /** @return a copy of the output */
    @Override
    public float[] output() {
        return output.clone();
    }
}
