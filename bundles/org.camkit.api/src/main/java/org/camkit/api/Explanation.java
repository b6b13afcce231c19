package org.camkit.api;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Explainer#explain}: one {@link ImageExplanation} per requested image.
 *
 * @param model   the model's name
 * @param backend the backend that ran it
 * @param method  the CAM method
 * @param layers  the target layers used
 * @param labels  the model's class labels (may be empty)
 * @param images  one result per image, in request order
 * @param timings time per stage, in pipeline order: {@code decode} (reading the images and resizing them to the
 *                model's input), {@code load} (the model; near 0 once cached), {@code preprocess} (pixels to the
 *                model's input), {@code forward}, {@code target} (resolving the target on the outputs),
 *                {@code backward} (present only for methods that need gradients at a layer), {@code cam} (the method's step and the
 *                core's post-processing of its result, with any further passes the method asks for, such as
 *                ScoreCAM's masked inputs); with aug-smooth each stage sums its six passes
 * @since 0.1
 */
public record Explanation(String model, String backend, String method, List<String> layers,
        List<String> labels, List<ImageExplanation> images, Map<String, Duration> timings) {

    /** Copies. */
    public Explanation {
        layers = List.copyOf(layers);
        labels = List.copyOf(labels);
        images = List.copyOf(images);
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }

    /** @return the sum of the stage timings */
    public Duration total() {
        return timings.values().stream().reduce(Duration.ZERO, Duration::plus);
    }
}
