package org.camkit.bench.internal;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;
import org.camkit.spi.CamMaps;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.MapProcessing;

/*
 * cam:bench --methods: each method's explain call on one image against the engine baseline's forward+backward; one
 * raw pass runs next to every measured explanation, so that the ratio's two medians come from the same stretch of
 * the run. The batched methods (scorecam, ablationcam) also run at each swept batch size; scorecam also runs as
 * Faster Score-CAM (fast=true), with a line comparing it with the exact scorecam: speed-up of the medians and
 * Pearson's r of the two maps of the bench image. The sampling methods (LIME, SHAP) are swept over batch sizes too,
 * with their forward passes per second. A method that cannot run on the model gets a row saying why.
 */
final class MethodsRun {

    /** A method whose first run takes longer gets {@code --slow-iterations} measured runs and no more warm-up. */
    private static final long SLOW_NANOS = 1_000_000_000L;

    private final Bench bench;

    MethodsRun(Bench bench) {
        this.bench = bench;
    }

    /** The target layer and its channel count. */
    private record Layer(String name, int channels) {
    }

    /** A method's row, whether its first run took over {@link #SLOW_NANOS}, and its last map (or null). */
    private record Timed(MethodTable.Row row, boolean slow, float[] map) {
    }

    /**
     * @param model    the model
     * @param settings the settings
     * @param picture  a picture to explain instead of the synthetic one, or empty
     * @return the report
     */
    String run(String model, Settings settings, Optional<Path> picture) {
        Subject subject = bench.subject(model, settings.size());
        String layer = settings.layerOr(subject.descriptor().defaultLayer());
        RgbImage image = picture.map(file -> bench.seen(subject, file))
                .orElseGet(() -> Bench.syntheticImage(subject.size()));
        PrintStream console = bench.console();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Long> rawTimes = new ArrayList<>();
        List<MethodTable.Row> rows = new ArrayList<>();
        List<String> versus = new ArrayList<>();
        int channels = 0;
        try (EngineBaseline.Network network = bench.baseline(subject, layer, image)) {
            for (int i = -settings.warmup(); i < settings.iterations(); i++) {
                long start = System.nanoTime();
                channels = network.run().channels();
                if (i >= 0) {
                    rawTimes.add(System.nanoTime() - start);
                }
            }
            console.printf(Locale.ROOT, "%s to %s (%d channels): median %.1f ms; timing %d methods%n",
                    OverheadRun.raw(subject.backend()), layer, channels, Samples.median(rawTimes) / 1e6,
                    settings.methods().size());
            Layer target = new Layer(layer, channels);
            for (String method : settings.methods()) {
                Timed main = time(subject, image, target, method, Map.of(), 0, settings, false, network, rawTimes);
                rows.add(main.row());
                boolean swept = MethodTable.BATCHED.contains(method) || MethodTable.SAMPLED.contains(method);
                if (swept && main.row().error() == null) {
                    for (int batch : settings.batchSizes()) {
                        rows.add(time(subject, image, target, method, Map.of(), batch, settings, main.slow(),
                                network, rawTimes).row());
                    }
                }
                if (method.equals(MethodTable.FAST_METHOD) && main.row().error() == null) {
                    Timed fast = time(subject, image, target, method, MethodTable.FAST_OPTIONS, 0, settings,
                            main.slow(), network, rawTimes);
                    rows.add(fast.row());
                    if (fast.row().error() == null) {
                        versus.add(MethodTable.versus(main.row(), fast.row(),
                                MapProcessing.pearson(main.map(), fast.map())));
                    }
                }
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double rawMedian = Samples.median(rawTimes);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "cam:bench --methods %s (backend %s, architecture %s) at %dx%d, batch 1, "
                + "layer %s, %d CPUs, on %s%n", subject.reference(), subject.backend(),
                subject.descriptor().architecture(), subject.size(), subject.size(), layer,
                Runtime.getRuntime().availableProcessors(),
                picture.map(Path::toString).orElse("the synthetic picture")));
        out.append(String.format(Locale.ROOT, "%d measured runs after %d warm-up; a method whose first run takes over "
                + "1 s: %d measured runs after that one%n", settings.iterations(), settings.warmup(),
                settings.slowIterations()));
        if (subject.copied()) {
            out.append("explained through the descriptor copy ").append(subject.explained()).append('\n');
        }
        out.append(String.format(Locale.ROOT, "%s to %s (%d channels): median %.2f ms over %d runs, interleaved with "
                + "the explanations%n", OverheadRun.raw(subject.backend()), layer, channels, rawMedian / 1e6,
                rawTimes.size()));
        out.append(String.format(Locale.ROOT, "system load average (1 min): %.2f at start, %.2f at end; "
                + "other processes on this machine inflate both medians%n", loadBefore, loadAfter));
        out.append(MethodTable.format(rows, rawMedian));
        versus.forEach(out::append);
        return out.toString();
    }

    /**
     * Times one configuration: warm-up, then the measured runs; a method whose first run is slow gets no more
     * warm-up and {@code slowIterations} measured runs. A method that cannot run on the model gives a failed row.
     */
    private Timed time(Subject subject, RgbImage image, Layer layer, String method, Map<String, String> options,
            int batchSize, Settings settings, boolean knownSlow, EngineBaseline.Network network,
            List<Long> rawTimes) {
        PrintStream console = bench.console();
        String name = method + options.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                .sorted().reduce("", String::concat);
        String label = name + (batchSize > 0 ? " " + Bench.BATCH_SIZE + " " + batchSize : "");
        BatchCounter counter = new BatchCounter(console, label);
        ExplainRequest request = Bench.request(subject, image, layer.name(), method, counter, batchSize, options);
        float[] map = null;
        int passes = 0;
        boolean slow = knownSlow;
        int warmups = knownSlow ? 0 : settings.warmup();
        int measured = knownSlow ? settings.slowIterations() : settings.iterations();
        List<Long> nanos = new ArrayList<>();
        List<Long> passNanos = new ArrayList<>();
        List<Long> engineNanos = new ArrayList<>();
        boolean fromLayer = MethodTable.FROM_LAYER.contains(method);
        try {
            for (int i = -warmups; i < measured; i++) {
                counter.reset();
                // the engine's passes alternate with the explanation, before it or after it
                boolean counted = i >= 0;
                Runnable engine = () -> {
                    if (counted) {
                        rawTimes.add(timeRaw(network));
                    }
                    if (batchSize > 0 && MethodTable.BATCHED.contains(method)) {
                        long batches = engineBatches(network, layer.channels(), batchSize, fromLayer);
                        if (counted) {
                            engineNanos.add(batches);
                        }
                    }
                };
                boolean engineFirst = (i & 1) == 1;
                if (engineFirst) {
                    engine.run();
                }
                long start = System.nanoTime();
                Explanation explanation = bench.explainer().explain(request);
                long elapsed = System.nanoTime() - start;
                if (!engineFirst) {
                    engine.run();
                }
                boolean first = i == -warmups;
                if (first && !slow && elapsed > SLOW_NANOS) {
                    slow = true;
                    measured = Math.min(measured, settings.slowIterations());
                }
                console.printf(Locale.ROOT, "%s: %s %d/%d: %.1f ms%s%s%n", label, i < 0 ? "warm-up" : "run",
                        i < 0 ? i + warmups + 1 : i + 1, i < 0 ? warmups : measured, elapsed / 1e6,
                        counter.calls() > 0 ? ", " + counter.calls() + " batches" : "",
                        first && slow && !knownSlow ? "; over 1 s: " + measured + " measured runs, no more warm-up"
                                : "");
                map = explanation.images().get(0).cam();
                passes = (int) Math.round(explanation.images().get(0).details().getOrDefault(CamMaps.PASSES, 0.0));
                if (i >= 0) {
                    nanos.add(elapsed);
                    passNanos.add(explanation.timings().getOrDefault("cam", Duration.ZERO).toNanos());
                } else if (slow) {
                    i = -1;
                }
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            console.printf(Locale.ROOT, "%s: could not run: %s%n", label, e.getMessage());
            return new Timed(MethodTable.Row.failed(name, batchSize, e.getMessage()), slow, null);
        }
        int channels = MethodTable.BATCHED.contains(method) ? layer.channels() : 0;
        return new Timed(new MethodTable.Row(name, batchSize, nanos, counter.calls(), channels, null,
                batchSize > 0 && !engineNanos.isEmpty() ? passNanos : List.of(), engineNanos, passes), slow, map);
    }

    /**
     * The engine baseline's own forward of the batches a batched method runs: {@code channels} images in batches of
     * {@code batchSize} (the last one smaller), from the input or from the layer.
     *
     * @return the batches' total time in nanoseconds
     */
    private static long engineBatches(EngineBaseline.Network network, int channels, int batchSize,
            boolean fromLayer) {
        long start = System.nanoTime();
        for (int b = 0; b < channels / batchSize; b++) {
            network.forward(batchSize, fromLayer);
        }
        if (channels % batchSize > 0) {
            network.forward(channels % batchSize, fromLayer);
        }
        return System.nanoTime() - start;
    }

    private static long timeRaw(EngineBaseline.Network network) {
        long start = System.nanoTime();
        network.run();
        return System.nanoTime() - start;
    }

    /** Counts the progress callbacks of one explanation (one per batch) and shows progress every few seconds. */
    static final class BatchCounter implements Progress {
        private static final long SHOW_EVERY = 10_000_000_000L;
        private final PrintStream console;
        private final String label;
        private int calls;
        private long shown;

        BatchCounter(PrintStream console, String label) {
            this.console = console;
            this.label = label;
        }

        void reset() {
            calls = 0;
            shown = System.nanoTime();
        }

        int calls() {
            return calls;
        }

        @Override
        public void update(String task, int done, int all) {
            calls++;
            long now = System.nanoTime();
            if (now - shown >= SHOW_EVERY) {
                shown = now;
                console.printf(Locale.ROOT, "  %s: %d/%d%n", label, done, all);
            }
        }
    }
}
