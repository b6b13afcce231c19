package org.camkit.backend.djl.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// cam:bench: the whole explain call against raw DJL forward+backward to the target layer, interleaved in one run;
// with --methods, every method's explain call against the same raw pass, and scorecam/ablationcam per batch size.
@Component(service = BenchCommand.class)
@GogoCommand(scope = "cam", function = "bench")
public final class BenchCommand {

    /** Grad-CAM's own cost may be at most this share of the engine time. */
    private static final double BUDGET = 0.10;
    private static final String DEFAULT_MODEL = "demo-biased";
    /** A method whose first run takes longer gets {@code --slow-iterations} measured runs and no more warm-up. */
    private static final long SLOW_NANOS = 1_000_000_000L;

    private final Explainer explainer;

    /** @param explainer the service whose explain calls are measured */
    @Activate
    public BenchCommand(@Reference Explainer explainer) {
        this.explainer = explainer;
    }

    @Descriptor("benchmarks Grad-CAM, batch 1: raw DJL forward+backward to the target layer against the whole "
            + "explain call (decode, render and PNG encode reported apart); medians and p90 in ms, overhead in %")
    public String bench(CommandSession session,
            @Descriptor("model name or descriptor path (default demo-biased); backend pytorch")
            @Parameter(names = {"-m", "--model"}, absentValue = DEFAULT_MODEL) String model,
            @Descriptor("input width and height in pixels (default: a TorchScript model's own input size, 224 for "
                    + "networks built in Java, which take any size)")
            @Parameter(names = {"-s", "--size"}, absentValue = "0") int size,
            @Descriptor("measured iterations (default 30)")
            @Parameter(names = {"-n", "--iterations"}, absentValue = "30") int iterations,
            @Descriptor("warm-up iterations, not measured (default 5)")
            @Parameter(names = {"-w", "--warmup"}, absentValue = "5") int warmup,
            @Descriptor("target layer (default: the model's default layer; see cam:layers)")
            @Parameter(names = {"-l", "--layer"}, absentValue = "") String layer,
            @Descriptor("instead of the Grad-CAM overhead report: time each of these methods (comma-separated, or "
                    + "'all' for every registered one) against the raw forward+backward; scorecam and ablationcam "
                    + "also per batch size")
            @Parameter(names = {"--methods"}, absentValue = "") String methods,
            @Descriptor("with --methods: measured iterations of a method whose first run takes over 1 s (default 3)")
            @Parameter(names = {"--slow-iterations"}, absentValue = "3") int slowIterations,
            @Descriptor("with --methods: the values of the option batch-size swept for scorecam and ablationcam "
                    + "(default 8,16,32,64)")
            @Parameter(names = {"--batch-sizes"}, absentValue = "8,16,32,64") String batchSizes) {
        Path descriptorFile = descriptorFile(model);
        BenchDescriptor descriptor = BenchDescriptor.read(descriptorFile);
        size = size == 0 ? defaultSize(descriptor) : size;
        if (size < 8 || iterations < 1 || warmup < 0 || slowIterations < 1) {
            throw new CamException("cam:bench needs --size >= 8, --iterations >= 1, --slow-iterations >= 1 and "
                    + "--warmup >= 0; got size " + size + ", iterations " + iterations + ", slow iterations "
                    + slowIterations + ", warmup " + warmup);
        }
        PrintStream console = session.getConsole();
        String target = layer.isBlank() ? descriptor.text("defaultLayer") : layer;
        String modelRef = modelAtSize(model, descriptorFile, descriptor, size);
        RgbImage image = syntheticImage(size);
        if (!methods.isBlank()) {
            List<String> registered = explainer.plugins(PluginInfo.Kind.METHOD).stream().map(PluginInfo::name)
                    .toList();
            MethodRun run = new MethodRun(MethodTable.methods(methods, registered),
                    MethodTable.batchSizes(batchSizes), iterations, warmup, slowIterations);
            try (RawNetwork raw = RawNetwork.load(descriptor, size, target)) {
                return benchMethods(console, model, modelRef, raw, image, target, run);
            }
        }
        Path png = writePng(image, workDir().resolve("bench-" + size + ".png"));

        try (RawNetwork raw = RawNetwork.load(descriptor, size, target)) {
            float[] input = raw.preprocess(image);
            ExplainRequest fromPixels = ExplainRequest.builder(modelRef).image(ImageInput.of(image)).layer(target)
                    .build();
            ExplainRequest fromFile = ExplainRequest.builder(modelRef).image(ImageInput.of(png)).layer(target).build();
            Samples samples = new Samples();
            String check = "";
            for (int i = -warmup; i < iterations; i++) {
                boolean measured = i >= 0;
                // alternate which runs first, so that neither always finds the caches warmed by the other
                RawNetwork.Result rawResult;
                Explanation explanation;
                if ((i & 1) == 0) {
                    rawResult = timedRaw(raw, input, samples, measured);
                    explanation = timedExplain(fromPixels, "explain (pixels)", samples, measured);
                } else {
                    explanation = timedExplain(fromPixels, "explain (pixels)", samples, measured);
                    rawResult = timedRaw(raw, input, samples, measured);
                }
                if (i == -warmup) {
                    check = agreement(rawResult, explanation.images().get(0));
                }
                if (measured) {
                    explanation.timings().forEach((stage, d) -> samples.add("  " + stage, d.toNanos()));
                    samples.add("  other (lookup, preprocess, target, records)",
                            samples.last("explain (pixels)") - explanation.total().toNanos());
                }
                Explanation fileExplanation = timedExplain(fromFile, "explain (PNG file)", samples, measured);
                if (measured) {
                    samples.add("  decode stage", fileExplanation.timings().getOrDefault("decode", Duration.ZERO)
                            .toNanos());
                }
                long start = System.nanoTime();
                RgbImage overlay = explainer.render(explanation, 0, "overlay", Map.of());
                samples.record("render overlay", start, measured);
                start = System.nanoTime();
                byte[] encoded = encodePng(overlay);
                samples.record("PNG encode", start, measured);
                if (encoded.length == 0) {
                    throw new CamException("cam:bench: the PNG encoder wrote nothing for a " + overlay);
                }
                progress(console, i, warmup, iterations, samples);
            }
            return report(model, modelRef, raw, size, target, iterations, warmup, check, samples);
        }
    }

    /** What {@code --methods} times: the methods, the swept batch sizes and the iteration counts. */
    private record MethodRun(List<String> methods, List<Integer> batchSizes, int iterations, int warmup,
            int slowIterations) {
    }

    /**
     * Times each method's explain call on one image; one raw forward+backward runs next to every measured
     * explanation, so that the ratio's two medians come from the same stretch of the run.
     */
    private String benchMethods(PrintStream console, String model, String modelRef, RawNetwork raw, RgbImage image,
            String layer, MethodRun run) {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        float[] input = raw.preprocess(image);
        List<Long> rawTimes = new ArrayList<>();
        int channels = 0;
        for (int i = -run.warmup(); i < run.iterations(); i++) {
            long start = System.nanoTime();
            channels = raw.run(input).channels();
            if (i >= 0) {
                rawTimes.add(System.nanoTime() - start);
            }
        }
        console.printf(Locale.ROOT, "raw DJL fwd+bwd to %s (%d channels): median %.1f ms; timing %d methods%n",
                layer, channels, MethodTable.median(rawTimes) / 1e6, run.methods().size());
        ImageInput pixels = ImageInput.of(image);
        List<MethodTable.Row> rows = new ArrayList<>();
        Layer target = new Layer(layer, channels);
        for (String method : run.methods()) {
            boolean batched = MethodTable.BATCHED.contains(method);
            Timed main = timeMethod(console, modelRef, pixels, target, method, 0, run, false, raw, input, rawTimes);
            rows.add(main.row());
            if (batched && main.row().error() == null) {
                for (int batch : run.batchSizes()) {
                    rows.add(timeMethod(console, modelRef, pixels, target, method, batch, run, main.slow(), raw,
                            input, rawTimes).row());
                }
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double rawMedian = MethodTable.median(rawTimes);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "cam:bench --methods %s (%s, %d classes) at %dx%d, batch 1, layer %s, "
                + "%d CPUs, libtorch threads %s%n", model, raw.architecture(), raw.classes(), raw.size(), raw.size(),
                layer, Runtime.getRuntime().availableProcessors(),
                System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)")));
        out.append(String.format(Locale.ROOT, "%d measured runs after %d warm-up; a method whose first run takes over "
                + "1 s: %d measured runs after that one%n", run.iterations(), run.warmup(), run.slowIterations()));
        if (!modelRef.equals(model)) {
            out.append("explained through the descriptor copy ").append(modelRef).append('\n');
        }
        out.append(String.format(Locale.ROOT, "raw DJL forward+backward to %s (%d channels): median %.2f ms over %d "
                + "runs, interleaved with the explanations%n", layer, channels, rawMedian / 1e6, rawTimes.size()));
        out.append(String.format(Locale.ROOT, "system load average (1 min): %.2f at start, %.2f at end; "
                + "other processes on this machine inflate both medians%n", loadBefore, loadAfter));
        out.append(MethodTable.format(rows, rawMedian));
        return out.toString();
    }

    /** The target layer and its channel count. */
    private record Layer(String name, int channels) {
    }

    /** A method's row, and whether its first run took over {@link #SLOW_NANOS}. */
    private record Timed(MethodTable.Row row, boolean slow) {
    }

    /**
     * Times one configuration: warm-up, then the measured runs; a method whose first run is slow gets no more
     * warm-up and {@code slowIterations} measured runs. A method that cannot run on the model gives a failed row.
     */
    private Timed timeMethod(PrintStream console, String modelRef, ImageInput pixels, Layer layer, String method,
            int batchSize, MethodRun run, boolean knownSlow, RawNetwork raw, float[] input, List<Long> rawTimes) {
        String label = method + (batchSize > 0 ? " " + MethodTable.BATCH_SIZE + " " + batchSize : "");
        BatchCounter counter = new BatchCounter(console, label);
        ExplainRequest.Builder builder = ExplainRequest.builder(modelRef).image(pixels).layer(layer.name())
                .method(method).progress(counter);
        if (batchSize > 0) {
            builder.option(MethodTable.BATCH_SIZE, String.valueOf(batchSize));
        }
        ExplainRequest request = builder.build();
        boolean slow = knownSlow;
        int warmups = knownSlow ? 0 : run.warmup();
        int measured = knownSlow ? run.slowIterations() : run.iterations();
        List<Long> nanos = new ArrayList<>();
        try {
            for (int i = -warmups; i < measured; i++) {
                counter.reset();
                boolean rawFirst = (i & 1) == 1;
                if (i >= 0 && rawFirst) {
                    rawTimes.add(timeRaw(raw, input));
                }
                long start = System.nanoTime();
                explainer.explain(request);
                long elapsed = System.nanoTime() - start;
                if (i >= 0 && !rawFirst) {
                    rawTimes.add(timeRaw(raw, input));
                }
                boolean first = i == -warmups;
                if (first && !slow && elapsed > SLOW_NANOS) {
                    slow = true;
                    measured = Math.min(measured, run.slowIterations());
                }
                console.printf(Locale.ROOT, "%s: %s %d/%d: %.1f ms%s%s%n", label, i < 0 ? "warm-up" : "run",
                        i < 0 ? i + warmups + 1 : i + 1, i < 0 ? warmups : measured, elapsed / 1e6,
                        counter.calls() > 0 ? ", " + counter.calls() + " batches" : "",
                        first && slow && !knownSlow ? "; over 1 s: " + measured + " measured runs, no more warm-up"
                                : "");
                if (i >= 0) {
                    nanos.add(elapsed);
                } else if (slow) {
                    i = -1;
                }
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            console.printf(Locale.ROOT, "%s: could not run: %s%n", label, e.getMessage());
            return new Timed(MethodTable.Row.failed(method, batchSize, e.getMessage()), slow);
        }
        int channels = MethodTable.BATCHED.contains(method) ? layer.channels() : 0;
        return new Timed(new MethodTable.Row(method, batchSize, nanos, counter.calls(), channels, null), slow);
    }

    private static long timeRaw(RawNetwork raw, float[] input) {
        long start = System.nanoTime();
        raw.run(input);
        return System.nanoTime() - start;
    }

    /** Counts the progress callbacks of one explanation (one per batch) and shows progress every few seconds. */
    private static final class BatchCounter implements Progress {
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

    private RawNetwork.Result timedRaw(RawNetwork raw, float[] input, Samples samples, boolean measured) {
        long start = System.nanoTime();
        RawNetwork.Result result = raw.run(input);
        samples.record("raw DJL fwd+bwd", start, measured);
        if (measured) {
            samples.add("  raw forward", result.forwardNanos());
            samples.add("  raw backward + gradient read", result.backwardNanos());
        }
        return result;
    }

    private Explanation timedExplain(ExplainRequest request, String name, Samples samples, boolean measured) {
        long start = System.nanoTime();
        Explanation explanation = explainer.explain(request);
        samples.record(name, start, measured);
        return explanation;
    }

    /** A TorchScript model runs at its own input size; a network built in Java at 224 unless told. */
    private static int defaultSize(BenchDescriptor descriptor) {
        if (!descriptor.torchScript()) {
            return 224;
        }
        int width = descriptor.integer("inputWidth");
        if (width != descriptor.integer("inputHeight")) {
            throw new CamException("cam:bench times square inputs; model descriptor " + descriptor.file() + " says "
                    + width + "x" + descriptor.integer("inputHeight") + ": give --size");
        }
        return width;
    }

    /** A registered name is looked up in the Explainer's models; anything else must be a descriptor file. */
    private Path descriptorFile(String model) {
        for (ModelInfo info : explainer.models()) {
            if (info.name().equals(model)) {
                return info.descriptor();
            }
        }
        Path path = Path.of(model);
        if (model.endsWith(".json") && Files.isRegularFile(path)) {
            return path.toAbsolutePath();
        }
        throw new CamException("cam:bench: unknown model '" + model + "'; registered models: "
                + explainer.models().stream().map(ModelInfo::name).toList()
                + ", or give the path of a model descriptor (.json)");
    }

    /**
     * The model reference to explain with: the model itself at its own input size, otherwise a copy of its
     * descriptor with the input size changed and an absolute weights path. The copy keeps its path and content across
     * runs, so that the Explainer's model cache holds one entry per model and size.
     */
    private static String modelAtSize(String model, Path descriptorFile, BenchDescriptor descriptor, int size) {
        if (descriptor.integer("inputWidth") == size && descriptor.integer("inputHeight") == size) {
            return model;
        }
        JsonObject copy = descriptor.json().deepCopy();
        copy.add("file", new JsonPrimitive(descriptor.modelFile().toString()));
        copy.add("inputWidth", new JsonPrimitive(size));
        copy.add("inputHeight", new JsonPrimitive(size));
        String name = copy.has("name") ? copy.get("name").getAsString() : baseName(descriptorFile);
        Path file = workDir().resolve(name + "-" + size + ".json");
        String content = copy.toString();
        try {
            if (!Files.isRegularFile(file) || !Files.readString(file).equals(content)) {
                Files.writeString(file, content);
            }
        } catch (IOException e) {
            throw new CamException("cam:bench: cannot write the descriptor copy " + file + ": " + e.getMessage()
                    + "; check that java.io.tmpdir is writable", e);
        }
        return file.toString();
    }

    private static Path workDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "camkit-bench");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CamException("cam:bench: cannot create " + dir + ": " + e.getMessage()
                    + "; check that java.io.tmpdir is writable", e);
        }
    }

    /** A fixed pseudo-random picture: smooth colour ramps plus noise, so that the gradients are not degenerate. */
    private static RgbImage syntheticImage(int size) {
        Random random = new Random(42);
        byte[] rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = 3 * (y * size + x);
                rgb[i] = (byte) Math.min(255, 255 * x / size + random.nextInt(32));
                rgb[i + 1] = (byte) Math.min(255, 255 * y / size + random.nextInt(32));
                rgb[i + 2] = (byte) random.nextInt(256);
            }
        }
        return new RgbImage(size, size, rgb);
    }

    private static Path writePng(RgbImage image, Path file) {
        try {
            Files.write(file, encodePng(image));
            return file;
        } catch (IOException e) {
            throw new CamException("cam:bench: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] encodePng(RgbImage image) {
        BufferedImage picture = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] rgb = image.rgb();
        byte[] bgr = ((DataBufferByte) picture.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(picture, "png", out)) {
                throw new CamException("cam:bench: no PNG writer in this JVM (javax.imageio)");
            }
        } catch (IOException e) {
            throw new CamException("cam:bench: PNG encoding failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Whether both paths ran the same network: the same outputs and, for a classifier, the same predicted class
     * (explain predicts none, -1, for outputs that are not one score per class, e.g. segmentation maps).
     */
    private static String agreement(RawNetwork.Result raw, ImageExplanation explained) {
        float[] logits = explained.output();
        float diff = 0;
        float scale = 0;
        for (int k = 0; k < Math.min(logits.length, raw.logits().length); k++) {
            diff = Math.max(diff, Math.abs(logits[k] - raw.logits()[k]));
            scale = Math.max(scale, Math.abs(raw.logits()[k]));
        }
        boolean same = logits.length == raw.logits().length
                && (explained.predicted() < 0 || explained.predicted() == raw.predicted())
                && diff <= 1e-3f * (1 + scale);
        return String.format(Locale.ROOT, "%s: raw and explain predict class %d / %d, max |logit diff| %.2g",
                same ? "same network" : "WARNING, the two paths disagree", raw.predicted(), explained.predicted(),
                diff);
    }

    private static void progress(PrintStream console, int i, int warmup, int iterations, Samples samples) {
        if (i < 0) {
            console.printf(Locale.ROOT, "warm-up %d/%d%n", i + warmup + 1, warmup);
        } else if ((i + 1) % 5 == 0 || i + 1 == iterations) {
            console.printf(Locale.ROOT, "iteration %d/%d: raw %.1f ms, explain %.1f ms%n", i + 1, iterations,
                    samples.last("raw DJL fwd+bwd") / 1e6, samples.last("explain (pixels)") / 1e6);
        }
    }

    private static String report(String model, String modelRef, RawNetwork raw, int size, String layer,
            int iterations, int warmup, String check, Samples samples) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "cam:bench %s (%s, %d classes) at %dx%d, batch 1, gradcam at %s, "
                + "%d iterations after %d warm-up, %d CPU threads%n", model, raw.architecture(), raw.classes(),
                size, size, layer, iterations, warmup, Runtime.getRuntime().availableProcessors()));
        if (!modelRef.equals(model)) {
            out.append("explained through the descriptor copy ").append(modelRef).append('\n');
        }
        out.append(check).append('\n');
        out.append(String.format(Locale.ROOT, "%-46s %10s %10s%n", "MEASURE", "MEDIAN ms", "P90 ms"));
        samples.names().forEach(name -> out.append(String.format(Locale.ROOT, "%-46s %10.2f %10.2f%n", name,
                samples.quantile(name, 0.5) / 1e6, samples.quantile(name, 0.9) / 1e6)));
        double rawMedian = samples.quantile("raw DJL fwd+bwd", 0.5);
        double explainMedian = samples.quantile("explain (pixels)", 0.5);
        double overhead = (explainMedian - rawMedian) / rawMedian;
        out.append(String.format(Locale.ROOT, "decode (explain from PNG file - from pixels, medians): %.2f ms%n",
                (samples.quantile("explain (PNG file)", 0.5) - explainMedian) / 1e6));
        out.append(String.format(Locale.ROOT, "ratio explain(pixels) / raw: %.3f%n", explainMedian / rawMedian));
        out.append(String.format(Locale.ROOT, "camkit overhead (explain(pixels) - raw) / raw: %.1f %% %s%n",
                100 * overhead, overhead <= BUDGET
                        ? "<= " + Math.round(100 * BUDGET) + " %: OK"
                        : "> " + Math.round(100 * BUDGET) + " %: OVER BUDGET"));
        // less sensitive to engine jitter: per-iteration differences, and the time spent outside engine stages
        List<Long> explain = samples.values("explain (pixels)");
        List<Long> rawTimes = samples.values("raw DJL fwd+bwd");
        List<Long> forward = samples.values("  forward");
        List<Long> backward = samples.values("  backward");
        List<Long> paired = new ArrayList<>();
        List<Long> outside = new ArrayList<>();
        for (int i = 0; i < explain.size(); i++) {
            paired.add(explain.get(i) - rawTimes.get(i));
            outside.add(explain.get(i) - forward.get(i) - (backward.isEmpty() ? 0 : backward.get(i)));
        }
        out.append(String.format(Locale.ROOT, "  median of per-iteration (explain - raw): %.2f ms = %.1f %% of raw%n",
                Samples.quantile(paired, 0.5) / 1e6, 100 * Samples.quantile(paired, 0.5) / rawMedian));
        out.append(String.format(Locale.ROOT, "  explain outside its forward+backward stages: %.2f ms = %.1f %% of raw"
                + "%n", Samples.quantile(outside, 0.5) / 1e6, 100 * Samples.quantile(outside, 0.5) / rawMedian));
        return out.toString();
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** Named series of nanosecond samples, in first-seen order. */
    private static final class Samples {
        private final Map<String, List<Long>> series = new LinkedHashMap<>();
        private final Map<String, Long> lastWarmup = new LinkedHashMap<>();

        void add(String name, long nanos) {
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(nanos);
        }

        /** Records the time since {@code start} under {@code name}; in warm-up only {@link #last} sees it. */
        void record(String name, long start, boolean measured) {
            long nanos = System.nanoTime() - start;
            if (measured) {
                add(name, nanos);
            } else {
                lastWarmup.put(name, nanos);
            }
        }

        long last(String name) {
            List<Long> values = series.get(name);
            return values == null || values.isEmpty() ? lastWarmup.getOrDefault(name, 0L)
                    : values.get(values.size() - 1);
        }

        List<String> names() {
            return List.copyOf(series.keySet());
        }

        List<Long> values(String name) {
            return series.getOrDefault(name, List.of());
        }

        double quantile(String name, double q) {
            return quantile(values(name), q);
        }

        /** Nearest-rank quantile. */
        static double quantile(List<Long> values, double q) {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }
}
