package org.camkit.bench.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;
import org.camkit.spi.EngineBaseline;

/*
 * cam:bench --twin (or --network): one network on two backends, e.g. a TensorFlow model and the PyTorch model with the
 * same weights. Grad-CAM through camkit on both against the first model's engine baseline, interleaved in one run with
 * the order rotating, so that all three medians come from the same stretch of time; then each batched method
 * (scorecam by default) on both at each batch size, timed per explanation and per batch (progress callbacks).
 */
final class TwinRun {

    /** The pairs cam:bench --network names, by registered name or by a path from the repository root. */
    enum Network {
        DEMOCNN("democnn", "demo-biased-tensorflow", "demo-biased", "the TensorFlow SavedModel is converted from the "
                + "PyTorch model's weights by tools/camkit-convert (the build writes it)"),
        RESNET("resnet", "fixtures/tensorflow/resnet224.json", "fixtures/torchscript/resnet.json", "the Keras "
                + "SavedModel holds the TorchScript model's weights, converted by tools/camkit-export-tf/fixtures.py "
                + "(--only resnet224 writes it)");

        final String id;
        final String model;
        final String twin;
        final String weights;

        Network(String id, String model, String twin, String weights) {
            this.id = id;
            this.model = model;
            this.twin = twin;
            this.weights = weights;
        }

        static Network parse(String id) {
            for (Network network : values()) {
                if (network.id.equalsIgnoreCase(id.trim())) {
                    return network;
                }
            }
            throw new CamException("cam:bench: unknown --network '" + id + "'; choose democnn or resnet");
        }
    }

    private final Bench bench;

    TwinRun(Bench bench) {
        this.bench = bench;
    }

    /**
     * @param network the preset the models come from, or null
     * @param model   the model whose engine baseline runs (name or descriptor path)
     * @param twin    the same network on another backend
     * @return the report
     */
    String run(Network network, String model, String twin, Settings settings) {
        Subject first;
        Subject second;
        try {
            first = bench.subject(model, settings.size());
            second = bench.subject(twin, first.size());
        } catch (CamException e) {
            throw network == null ? e : new CamException(e.getMessage() + ". --network " + network.id + " names "
                    + network.model + " and " + network.twin + ", paths resolve against the working directory "
                    + java.nio.file.Path.of("").toAbsolutePath() + ": run from the repository root (./camkit does)",
                    e);
        }
        if (first.backend().equals(second.backend())) {
            throw new CamException("cam:bench --twin compares one network on two backends; models '" + model
                    + "' and '" + twin + "' are both on backend '" + first.backend() + "'");
        }
        String layer = settings.layerOr(first.descriptor().defaultLayer());
        RgbImage image = Bench.syntheticImage(first.size());
        GradCam gradcam;
        int channels;
        try (EngineBaseline.Network raw = bench.baseline(first, layer, image)) {
            gradcam = timeGradCam(raw, first, second, image, layer, settings);
            channels = raw.run().channels();
        }
        List<Batched> batched = new ArrayList<>();
        for (String method : settings.methods()) {
            for (int batchSize : settings.batchSizes()) {
                batched.add(timeBatched(first, second, image, layer, method, batchSize, settings));
            }
        }
        return report(network, first, second, layer, settings, gradcam, channels, batched);
    }

    /** The Grad-CAM samples, the stage timings of both explain paths, and the agreement line. */
    private record GradCam(Samples samples, Map<String, Samples> stages, String check) {
    }

    private static String explain(Subject subject) {
        return "explain gradcam " + subject.backend();
    }

    private GradCam timeGradCam(EngineBaseline.Network raw, Subject first, Subject second, RgbImage image,
            String layer, Settings settings) {
        ExplainRequest firstRequest = Bench.request(first, image, layer, "gradcam", Progress.NONE, 0);
        ExplainRequest secondRequest = Bench.request(second, image, layer, "gradcam", Progress.NONE, 0);
        List<String> names = List.of(OverheadRun.raw(first.backend()), explain(first), explain(second));
        List<Supplier<Object>> steps = List.of(raw::run, () -> bench.explainer().explain(firstRequest),
                () -> bench.explainer().explain(secondRequest));
        Samples samples = new Samples();
        Map<String, Samples> stages = new LinkedHashMap<>();
        names.forEach(name -> stages.put(name, new Samples()));
        String check = "";
        for (int i = -settings.warmup(); i < settings.iterations(); i++) {
            Object[] results = new Object[3];
            long[] nanos = new long[3];
            int offset = Math.floorMod(i, 3); // rotate the order: no step always finds the caches warmed by another
            for (int k = 0; k < 3; k++) {
                int step = (k + offset) % 3;
                long start = System.nanoTime();
                results[step] = steps.get(step).get();
                nanos[step] = System.nanoTime() - start;
            }
            EngineBaseline.Run rawRun = (EngineBaseline.Run) results[0];
            if (i == -settings.warmup()) {
                check = agreement(first, second, rawRun, (Explanation) results[1], (Explanation) results[2]);
            }
            if (i >= 0) {
                for (int step = 0; step < 3; step++) {
                    samples.add(names.get(step), nanos[step]);
                }
                rawRun.stages().forEach((stage, d) -> stages.get(names.get(0)).add("raw " + stage, d.toNanos()));
                for (int step = 1; step < 3; step++) {
                    Samples stageSamples = stages.get(names.get(step));
                    ((Explanation) results[step]).timings().forEach((stage, d) -> stageSamples.add(stage,
                            d.toNanos()));
                }
            }
            if (i < 0) {
                bench.console().printf(Locale.ROOT, "gradcam warm-up %d/%d%n", i + settings.warmup() + 1,
                        settings.warmup());
            } else if ((i + 1) % 5 == 0 || i + 1 == settings.iterations()) {
                bench.console().printf(Locale.ROOT, "gradcam round %d/%d: raw %.1f ms, %s %.1f ms, %s %.1f ms%n",
                        i + 1, settings.iterations(), nanos[0] / 1e6, first.backend(), nanos[1] / 1e6,
                        second.backend(), nanos[2] / 1e6);
            }
        }
        return new GradCam(samples, stages, check);
    }

    /** A batched method at one batch size on both models: the time and progress callbacks of each explanation. */
    record Batched(String method, int batchSize, List<Long> firstNanos, int firstBatches, List<Long> secondNanos,
            int secondBatches) {

        static double perSecond(int batches, List<Long> nanos) {
            return batches / (Samples.median(nanos) / 1e9);
        }
    }

    private Batched timeBatched(Subject first, Subject second, RgbImage image, String layer, String method,
            int batchSize, Settings settings) {
        PrintStream console = bench.console();
        String label = method + " " + Bench.BATCH_SIZE + " " + batchSize;
        MethodsRun.BatchCounter firstCounter = new MethodsRun.BatchCounter(console, label + " " + first.backend());
        MethodsRun.BatchCounter secondCounter = new MethodsRun.BatchCounter(console, label + " " + second.backend());
        ExplainRequest firstRequest = Bench.request(first, image, layer, method, firstCounter, batchSize);
        ExplainRequest secondRequest = Bench.request(second, image, layer, method, secondCounter, batchSize);
        List<Long> firstNanos = new ArrayList<>();
        List<Long> secondNanos = new ArrayList<>();
        int warmup = Math.min(1, settings.warmup());
        for (int i = -warmup; i < settings.slowIterations(); i++) {
            boolean firstFirst = (i & 1) == 0;
            long a = timed(firstFirst ? firstRequest : secondRequest, firstFirst ? firstCounter : secondCounter);
            long b = timed(firstFirst ? secondRequest : firstRequest, firstFirst ? secondCounter : firstCounter);
            if (i >= 0) {
                firstNanos.add(firstFirst ? a : b);
                secondNanos.add(firstFirst ? b : a);
            }
            console.printf(Locale.ROOT, "%s %s %d/%d: %s %.0f ms (%d batches), %s %.0f ms (%d batches)%n", label,
                    i < 0 ? "warm-up" : "round", i < 0 ? 1 : i + 1, i < 0 ? 1 : settings.slowIterations(),
                    first.backend(), (firstFirst ? a : b) / 1e6, firstCounter.calls(), second.backend(),
                    (firstFirst ? b : a) / 1e6, secondCounter.calls());
        }
        return new Batched(method, batchSize, firstNanos, firstCounter.calls(), secondNanos, secondCounter.calls());
    }

    private long timed(ExplainRequest request, MethodsRun.BatchCounter counter) {
        counter.reset();
        long start = System.nanoTime();
        bench.explainer().explain(request);
        return System.nanoTime() - start;
    }

    /** Whether the three paths ran the same network: predicted classes, logits, and the two Grad-CAM maps. */
    static String agreement(Subject first, Subject second, EngineBaseline.Run raw, Explanation firstExplanation,
            Explanation secondExplanation) {
        ImageExplanation a = firstExplanation.images().get(0);
        ImageExplanation b = secondExplanation.images().get(0);
        double rawDiff = Bench.maxDifference(raw.output(), a.output());
        double logitDiff = Bench.maxDifference(a.output(), b.output());
        double camDiff = Bench.maxDifference(a.cam(), b.cam());
        double scale = Bench.maxAbs(raw.output());
        boolean same = raw.predicted() == a.predicted() && a.predicted() == b.predicted()
                && rawDiff <= 1e-3 * (1 + scale) && logitDiff <= 1e-3 * (1 + scale);
        return String.format(Locale.ROOT, "%s: predicted class raw %d, %s %d, %s %d; max |logit diff| raw-%s %.2g, "
                + "%s-%s %.2g; gradcam maps %s-%s max |diff| %.2g", same ? "same network"
                        : "WARNING, the paths disagree", raw.predicted(), first.backend(), a.predicted(),
                second.backend(), b.predicted(), first.backend(), rawDiff, first.backend(), second.backend(),
                logitDiff, first.backend(), second.backend(), camDiff);
    }

    private static String report(Network network, Subject first, Subject second, String layer, Settings settings,
            GradCam gradcam, int channels, List<Batched> batched) {
        StringBuilder out = new StringBuilder();
        int size = first.size();
        out.append(String.format(Locale.ROOT, "cam:bench %s: %s (%s) vs %s (%s) at %dx%d, batch 1, layer %s (%d "
                + "channels), %d CPU threads%n", network != null ? "--network " + network.id
                        : "--twin " + second.reference(), first.reference(), first.backend(), second.reference(),
                second.backend(), size, size, layer, channels, Runtime.getRuntime().availableProcessors()));
        out.append(String.format(Locale.ROOT, "files: %s (%s), %s (%s)%s%n", first.descriptor().file(),
                first.backend(), second.descriptor().file(), second.backend(),
                network != null ? ": " + network.weights : ""));
        if (first.copied() || second.copied()) {
            out.append("explain calls name ").append(first.explained()).append(" (").append(first.backend())
                    .append("), ").append(second.explained()).append(" (").append(second.backend())
                    .append("): descriptor copies at the benchmark's size where the model's size differs\n");
        }
        out.append(gradcam.check()).append('\n');
        out.append(String.format(Locale.ROOT, "gradcam: %d rounds after %d warm-up, each round runs the three in "
                + "rotating order%n", settings.iterations(), settings.warmup()));
        out.append(String.format(Locale.ROOT, "%-44s %10s %10s%n", "MEASURE", "MEDIAN ms", "P90 ms"));
        Samples samples = gradcam.samples();
        for (String name : samples.names()) {
            line(out, name, samples, name);
            Samples stages = gradcam.stages().get(name);
            stages.names().forEach(stage -> line(out, "  " + stage, stages, stage));
        }
        double raw = samples.median(OverheadRun.raw(first.backend()));
        double explainFirst = samples.median(explain(first));
        double explainSecond = samples.median(explain(second));
        out.append(String.format(Locale.ROOT, "ratio explain %s / raw %s: %.2f%n", first.backend(), first.backend(),
                explainFirst / raw));
        out.append(String.format(Locale.ROOT, "ratio explain %s / explain %s: %.2f%n", first.backend(),
                second.backend(), explainFirst / explainSecond));
        for (Batched b : batched) {
            out.append(String.format(Locale.ROOT, "%s %s %d: %d runs per model after %d warm-up, interleaved%n",
                    b.method(), Bench.BATCH_SIZE, b.batchSize(), settings.slowIterations(),
                    Math.min(1, settings.warmup())));
            out.append(String.format(Locale.ROOT, "%-12s %12s %8s %10s%n", "BACKEND", "MS/EXPLAIN", "BATCHES",
                    "BATCHES/S"));
            int expected = (channels + b.batchSize() - 1) / b.batchSize();
            batchedLine(out, first.backend(), b.firstNanos(), b.firstBatches(), expected, channels, b.batchSize());
            batchedLine(out, second.backend(), b.secondNanos(), b.secondBatches(), expected, channels,
                    b.batchSize());
            out.append(String.format(Locale.ROOT, "ratio %s batches/s %s / %s: %.2f%n", b.method(), first.backend(),
                    second.backend(), Batched.perSecond(b.firstBatches(), b.firstNanos())
                            / Batched.perSecond(b.secondBatches(), b.secondNanos())));
        }
        return out.toString();
    }

    private static void batchedLine(StringBuilder out, String backend, List<Long> nanos, int batches, int expected,
            int channels, int batchSize) {
        out.append(String.format(Locale.ROOT, "%-12s %12.1f %8d %10.2f%s%n", backend, Samples.median(nanos) / 1e6,
                batches, Batched.perSecond(batches, nanos), batches == expected ? ""
                        : "  (expected ceil(" + channels + "/" + batchSize + ") = " + expected + " batches)"));
    }

    private static void line(StringBuilder out, String label, Samples samples, String name) {
        out.append(String.format(Locale.ROOT, "%-44s %10.2f %10.2f%n", label, samples.median(name) / 1e6,
                samples.p90(name) / 1e6));
    }
}
