package org.camkit.api;

import java.util.List;

/**
 * Images to evaluate on, with their ground truth where there is some.
 *
 * @param images the images, in order
 * @param truth  per image its annotated objects, in the order of {@code images}; empty when there is no ground truth
 * @since 0.4
 */
public record Dataset(List<ImageInput> images, List<GroundTruth> truth) {

    /** Validates and copies. */
    public Dataset {
        images = List.copyOf(images);
        truth = List.copyOf(truth);
        if (!truth.isEmpty() && truth.size() != images.size()) {
            throw new IllegalArgumentException(truth.size() + " ground truths for " + images.size() + " images");
        }
    }
}
