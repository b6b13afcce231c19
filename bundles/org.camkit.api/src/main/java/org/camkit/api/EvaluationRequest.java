package org.camkit.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Evaluator#evaluate} runs: every image explained with every method, every map scored with every metric.
 *
 * @param explain  the model, images, target, layers, method options (each method gets those it reads; an option no
 *                 method reads is refused), smoothing and progress listener; its method is ignored
 * @param methods  the methods to compare, in order, at least one
 * @param metrics  the metrics, in order, at least one
 * @param truth    per image of {@code explain} its annotated objects, or empty when there is no ground truth
 * @param skipBad  record an image that cannot be explained or scored (unreadable, annotations that do not fit) in the
 *                 report and go on, instead of stopping at it
 * @param out      a directory for the report ({@code metrics.csv}, written as it goes, {@code summary.json} and the
 *                 charts), or null for none
 * @since 0.4
 */
public record EvaluationRequest(ExplainRequest explain, List<String> methods, List<MetricSpec> metrics,
        List<GroundTruth> truth, boolean skipBad, Path out) {

    /** Validates and copies. */
    public EvaluationRequest {
        Objects.requireNonNull(explain, "explain");
        methods = List.copyOf(methods);
        metrics = List.copyOf(metrics);
        truth = List.copyOf(truth);
        if (methods.isEmpty() || metrics.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one method and one metric");
        }
        if (!truth.isEmpty() && truth.size() != explain.images().size()) {
            throw new IllegalArgumentException(truth.size() + " ground truths for " + explain.images().size()
                    + " images");
        }
    }
}
