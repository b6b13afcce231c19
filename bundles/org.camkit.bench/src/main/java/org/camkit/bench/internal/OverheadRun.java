package org.camkit.bench.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.camkit.spi.EngineBaseline;

/*
 * cam:bench's default mode: the engine baseline's forward+backward to the target layer against the whole Grad-CAM
 * explain call, interleaved in one run (the order alternating), batch 1; explaining from a PNG file, rendering the
 * overlay and encoding it as PNG are timed apart. Progress goes to the console; the report is returned.
 */
final class OverheadRun {

    /** Grad-CAM's own cost may be at most this share of the engine time. */
    static final double BUDGET = 0.10;
    static final String EXPLAIN = "explain (pixels)";
    static final String EXPLAIN_FILE = "explain (PNG file)";

    private final Bench bench;

    OverheadRun(Bench bench) {
        this.bench = bench;
    }

    /** The label of the raw pass of a backend's engine baseline. */
    static String raw(String backend) {
        return "raw " + backend + " fwd+bwd";
    }

    String run(String model, Settings settings) {
        Subject subject = bench.subject(model, settings.size());
        String layer = settings.layerOr(subject.descriptor().defaultLayer());
        String raw = raw(subject.backend());
        RgbImage image = Bench.syntheticImage(subject.size());
        Path png = bench.png(image);
        PrintStream console = bench.console();
        ExplainRequest fromPixels = ExplainRequest.builder(subject.explained()).image(ImageInput.of(image))
                .layer(layer).build();
        ExplainRequest fromFile = ExplainRequest.builder(subject.explained()).image(ImageInput.of(png)).layer(layer)
                .build();
        Samples samples = new Samples();
        String check = "";
        int outputs = 0;
        try (EngineBaseline.Network network = bench.baseline(subject, layer, image)) {
            for (int i = -settings.warmup(); i < settings.iterations(); i++) {
                boolean measured = i >= 0;
                // alternate which runs first, so that neither always finds the caches warmed by the other
                long[] nanos = new long[2];
                EngineBaseline.Run rawRun;
                Explanation explanation;
                if ((i & 1) == 0) {
                    rawRun = timed(network, nanos);
                    explanation = timed(fromPixels, nanos);
                } else {
                    explanation = timed(fromPixels, nanos);
                    rawRun = timed(network, nanos);
                }
                if (i == -settings.warmup()) {
                    check = agreement(rawRun, explanation.images().get(0));
                    outputs = rawRun.output().length;
                }
                long start = System.nanoTime();
                Explanation fileExplanation = bench.explainer().explain(fromFile);
                long fileNanos = System.nanoTime() - start;
                start = System.nanoTime();
                RgbImage overlay = bench.explainer().render(explanation, 0, "overlay", Map.of());
                long renderNanos = System.nanoTime() - start;
                start = System.nanoTime();
                byte[] encoded = overlay.png();
                long pngNanos = System.nanoTime() - start;
                if (encoded.length == 0) {
                    throw new CamException("cam:bench: the PNG encoder wrote nothing for a " + overlay);
                }
                if (measured) {
                    samples.add(raw, nanos[0]);
                    rawRun.stages().forEach((stage, d) -> samples.add("  raw " + stage, d.toNanos()));
                    samples.add(EXPLAIN, nanos[1]);
                    explanation.timings().forEach((stage, d) -> samples.add("  " + stage, d.toNanos()));
                    samples.add("  other (lookup, checks, records)",
                            nanos[1] - explanation.total().toNanos());
                    samples.add(EXPLAIN_FILE, fileNanos);
                    samples.add("  decode stage", fileExplanation.timings().getOrDefault("decode", Duration.ZERO)
                            .toNanos());
                    samples.add("render overlay", renderNanos);
                    samples.add("PNG encode", pngNanos);
                }
                if (i < 0) {
                    console.printf(Locale.ROOT, "warm-up %d/%d%n", i + settings.warmup() + 1, settings.warmup());
                } else if ((i + 1) % 5 == 0 || i + 1 == settings.iterations()) {
                    console.printf(Locale.ROOT, "iteration %d/%d: raw %.1f ms, explain %.1f ms%n", i + 1,
                            settings.iterations(), nanos[0] / 1e6, nanos[1] / 1e6);
                }
            }
        }
        return report(subject, layer, outputs, settings, check, samples);
    }

    /** Runs the raw pass, its time in {@code nanos[0]}. */
    private static EngineBaseline.Run timed(EngineBaseline.Network network, long[] nanos) {
        long start = System.nanoTime();
        EngineBaseline.Run run = network.run();
        nanos[0] = System.nanoTime() - start;
        return run;
    }

    /** Explains, the time in {@code nanos[1]}. */
    private Explanation timed(ExplainRequest request, long[] nanos) {
        long start = System.nanoTime();
        Explanation explanation = bench.explainer().explain(request);
        nanos[1] = System.nanoTime() - start;
        return explanation;
    }

    /**
     * Whether both paths ran the same network: the same outputs and, for a classifier, the same predicted class
     * (explain predicts none, -1, for outputs that are not one score per class, e.g. segmentation maps).
     */
    static String agreement(EngineBaseline.Run raw, ImageExplanation explained) {
        float[] logits = explained.output();
        double diff = Bench.maxDifference(logits, raw.output());
        boolean same = (explained.predicted() < 0 || explained.predicted() == raw.predicted())
                && diff <= 1e-3 * (1 + Bench.maxAbs(raw.output()));
        return String.format(Locale.ROOT, "%s: raw and explain predict class %d / %d, max |logit diff| %.2g",
                same ? "same network" : "WARNING, the two paths disagree", raw.predicted(), explained.predicted(),
                diff);
    }

    private static String report(Subject subject, String layer, int outputs, Settings settings, String check,
            Samples samples) {
        StringBuilder out = new StringBuilder();
        int size = subject.size();
        out.append(String.format(Locale.ROOT, "cam:bench %s (backend %s, architecture %s, %d outputs) at %dx%d, "
                + "batch 1, gradcam at %s, %d iterations after %d warm-up, %d CPU threads%n", subject.reference(),
                subject.backend(), subject.descriptor().architecture(), outputs, size, size, layer,
                settings.iterations(), settings.warmup(), Runtime.getRuntime().availableProcessors()));
        if (subject.copied()) {
            out.append("explained through the descriptor copy ").append(subject.explained()).append('\n');
        }
        out.append(check).append('\n');
        out.append(String.format(Locale.ROOT, "%-46s %10s %10s%n", "MEASURE", "MEDIAN ms", "P90 ms"));
        samples.names().forEach(name -> out.append(String.format(Locale.ROOT, "%-46s %10.2f %10.2f%n", name,
                samples.median(name) / 1e6, samples.p90(name) / 1e6)));
        String raw = raw(subject.backend());
        double rawMedian = samples.median(raw);
        double explainMedian = samples.median(EXPLAIN);
        double overhead = (explainMedian - rawMedian) / rawMedian;
        out.append(String.format(Locale.ROOT, "decode (explain from PNG file - from pixels, medians): %.2f ms%n",
                (samples.median(EXPLAIN_FILE) - explainMedian) / 1e6));
        out.append(String.format(Locale.ROOT, "ratio explain(pixels) / raw: %.3f%n", explainMedian / rawMedian));
        out.append(String.format(Locale.ROOT, "camkit overhead (explain(pixels) - raw) / raw: %.1f %% %s%n",
                100 * overhead, overhead <= BUDGET
                        ? "<= " + Math.round(100 * BUDGET) + " %: OK"
                        : "> " + Math.round(100 * BUDGET) + " %: OVER BUDGET"));
        // less sensitive to engine jitter: per-iteration differences, and the time spent outside engine stages
        List<Long> explain = samples.values(EXPLAIN);
        List<Long> rawTimes = samples.values(raw);
        List<Long> forward = samples.values("  forward");
        List<Long> backward = samples.values("  backward");
        List<Long> paired = new ArrayList<>();
        List<Long> outside = new ArrayList<>();
        for (int i = 0; i < explain.size(); i++) {
            paired.add(explain.get(i) - rawTimes.get(i));
            outside.add(explain.get(i) - (forward.isEmpty() ? 0 : forward.get(i))
                    - (backward.isEmpty() ? 0 : backward.get(i)));
        }
        out.append(String.format(Locale.ROOT, "  median of per-iteration (explain - raw): %.2f ms = %.1f %% of raw%n",
                Samples.median(paired) / 1e6, 100 * Samples.median(paired) / rawMedian));
        out.append(String.format(Locale.ROOT, "  explain outside its forward+backward stages: %.2f ms = %.1f %% of raw"
                + "%n", Samples.median(outside) / 1e6, 100 * Samples.median(outside) / rawMedian));
        return out.toString();
    }
}
