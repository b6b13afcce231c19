package org.camkit.bench.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.MetricSpec;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;
import org.camkit.spi.EngineBaseline;

/*
 * cam:bench --metrics: each perturbation metric's score of one Grad-CAM map against the engine baseline's own batched
 * forward of the same passes (the unperturbed image, then steps + 1 perturbed copies in batches of 16), interleaved,
 * so that the ratio's two medians come from the same stretch of the run; images per second for each.
 */
final class MetricsRun {

    /** Perturbed copies per forward pass, the metrics' default. */
    static final int BATCH = 16;

    private final Bench bench;
    private final Evaluator evaluator;

    MetricsRun(Bench bench, Evaluator evaluator) {
        this.bench = bench;
        this.evaluator = evaluator;
    }

    /**
     * @param model    the model
     * @param settings size, iterations, warm-up and layer
     * @param metrics  the metrics to time: deletion, insertion (each {@code steps} + 1 passes)
     * @param steps    their steps
     * @return the report
     */
    String run(String model, Settings settings, List<String> metrics, int steps) {
        Subject subject = bench.subject(model, settings.size());
        String layer = settings.layerOr(subject.descriptor().defaultLayer());
        RgbImage image = Bench.syntheticImage(subject.size());
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ExplainRequest request = Bench.request(subject, image, layer, "gradcam", Progress.NONE, 0);
        Explanation explanation = bench.explainer().explain(request);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "cam:bench --metrics on %s (backend %s) at %dx%d, one Grad-CAM map at"
                + " %s, %d steps, batches of %d; %d measured runs after %d warm-up, each beside the engine's own"
                + " batched forward of the same passes%n", subject.reference(), subject.backend(), subject.size(),
                subject.size(), layer, steps, BATCH, settings.iterations(), settings.warmup()));
        out.append(String.format(Locale.ROOT, "%-10s %12s %12s %8s %10s%n", "METRIC", "MS/IMAGE", "ENGINE MS",
                "RATIO", "IMAGES/S"));
        try (EngineBaseline.Network network = bench.baseline(subject, layer, image)) {
            for (String metric : metrics) {
                List<MetricSpec> spec = List.of(new MetricSpec(metric, Map.of("steps", Integer.toString(steps),
                        "batch-size", Integer.toString(BATCH))));
                List<Long> camkit = new ArrayList<>();
                List<Long> engine = new ArrayList<>();
                for (int i = -settings.warmup(); i < settings.iterations(); i++) {
                    long start = System.nanoTime();
                    evaluator.score(request, explanation, spec, List.of());
                    long scored = System.nanoTime() - start;
                    long passes = engine(network, steps + 1);
                    if (i >= 0) {
                        camkit.add(scored);
                        engine.add(passes);
                    }
                    bench.console().printf(Locale.ROOT, "%s: %s %d: %.1f ms (engine %.1f ms)%n", metric,
                            i < 0 ? "warm-up" : "run", Math.abs(i < 0 ? i : i + 1), scored / 1e6, passes / 1e6);
                }
                double ms = Samples.median(camkit) / 1e6;
                double raw = Samples.median(engine) / 1e6;
                out.append(String.format(Locale.ROOT, "%-10s %12.1f %12.1f %8.2f %10.2f%n", metric, ms, raw,
                        ms / raw, 1000 / ms));
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.append(String.format(Locale.ROOT, "camkit's time includes reading and preprocessing the image, its"
                + " unperturbed forward, building the perturbed copies and the probabilities; system load average (1"
                + " min): %.2f at start, %.2f at end%n", loadBefore, loadAfter));
        return out.toString();
    }

    /** @return the engine's own forward of one image and of {@code copies} images in batches of {@link #BATCH} */
    private static long engine(EngineBaseline.Network network, int copies) {
        long start = System.nanoTime();
        network.forward(1, false);
        for (int left = copies; left > 0; left -= BATCH) {
            network.forward(Math.min(BATCH, left), false);
        }
        return System.nanoTime() - start;
    }
}
