package org.camkit.backend.djl.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.camkit.api.RgbImage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// cam:bench: the whole explain call against raw DJL forward+backward to the target layer, interleaved in one run.
@Component(service = BenchCommand.class)
@GogoCommand(scope = "cam", function = "bench")
public final class BenchCommand {

    /** Grad-CAM's own cost may be at most this share of the engine time. */
    private static final double BUDGET = 0.10;
    private static final String DEFAULT_MODEL = "demo-biased";

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
            @Descriptor("input width and height in pixels (default 224); the demo CNN takes any size")
            @Parameter(names = {"-s", "--size"}, absentValue = "224") int size,
            @Descriptor("measured iterations (default 30)")
            @Parameter(names = {"-n", "--iterations"}, absentValue = "30") int iterations,
            @Descriptor("warm-up iterations, not measured (default 5)")
            @Parameter(names = {"-w", "--warmup"}, absentValue = "5") int warmup,
            @Descriptor("target layer (default: the model's default layer; see cam:layers)")
            @Parameter(names = {"-l", "--layer"}, absentValue = "") String layer) {
        if (size < 8 || iterations < 1 || warmup < 0) {
            throw new CamException("cam:bench needs --size >= 8, --iterations >= 1 and --warmup >= 0; got size "
                    + size + ", iterations " + iterations + ", warmup " + warmup);
        }
        PrintStream console = session.getConsole();
        Path descriptorFile = descriptorFile(model);
        JsonObject json = readJson(descriptorFile);
        String target = layer.isBlank() ? text(json, "defaultLayer", descriptorFile) : layer;
        String modelRef = modelAtSize(model, descriptorFile, json, size);
        RgbImage image = syntheticImage(size);
        Path png = writePng(image, workDir().resolve("bench-" + size + ".png"));

        try (RawNetwork raw = RawNetwork.load(descriptorFile, json, size, target)) {
            float[] input = raw.preprocess(image);
            ExplainRequest fromPixels = ExplainRequest.builder(modelRef).image(ImageInput.of(image)).layer(target)
                    .build();
            ExplainRequest fromFile = ExplainRequest.builder(modelRef).image(ImageInput.of(png)).layer(target).build();
            Samples samples = new Samples();
            String check = "";
            for (int i = -warmup; i < iterations; i++) {
                boolean measured = i >= 0;
                // alternate which runs first, so that neither always finds the caches warmed by the other
                RawResult rawResult;
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

    private RawResult timedRaw(RawNetwork raw, float[] input, Samples samples, boolean measured) {
        long start = System.nanoTime();
        RawResult result = raw.run(input);
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
    private static String modelAtSize(String model, Path descriptorFile, JsonObject json, int size) {
        if (integer(json, "inputWidth", descriptorFile) == size
                && integer(json, "inputHeight", descriptorFile) == size) {
            return model;
        }
        JsonObject copy = json.deepCopy();
        copy.add("file", new JsonPrimitive(weightsFile(descriptorFile, json).toString()));
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

    /** Whether both paths ran the same network: same predicted class and logits. */
    private static String agreement(RawResult raw, ImageExplanation explained) {
        float[] logits = explained.output();
        float diff = 0;
        for (int k = 0; k < Math.min(logits.length, raw.logits().length); k++) {
            diff = Math.max(diff, Math.abs(logits[k] - raw.logits()[k]));
        }
        boolean same = logits.length == raw.logits().length && explained.predicted() == raw.predicted()
                && diff <= 1e-3f * (1 + Math.abs(logits[explained.predicted()]));
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

    private static JsonObject readJson(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CamException("cam:bench: model descriptor " + file + " is not readable JSON: " + e.getMessage(),
                    e);
        }
    }

    private static String text(JsonObject json, String key, Path file) {
        if (!json.has(key) || json.get(key).isJsonNull()) {
            throw new CamException("cam:bench: model descriptor " + file + " lacks \"" + key + "\"");
        }
        return json.get(key).getAsString();
    }

    private static int integer(JsonObject json, String key, Path file) {
        try {
            return Integer.parseInt(text(json, key, file));
        } catch (NumberFormatException e) {
            throw new CamException("cam:bench: model descriptor " + file + ": \"" + key + "\" is not an integer", e);
        }
    }

    private static Path weightsFile(Path descriptorFile, JsonObject json) {
        return descriptorFile.toAbsolutePath().getParent().resolve(text(json, "file", descriptorFile)).normalize();
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** One raw pass: the logits, the predicted class, the target layer's gradient and the time of each half. */
    private record RawResult(float[] logits, int predicted, float[] gradient, long forwardNanos,
            long backwardNanos) {
    }

    /** The model's network loaded with plain DJL (no camkit pipeline), and its input normalisation. */
    private record RawNetwork(NDManager manager, List<Block> children, int split, String architecture, int classes,
            float[] mean, float[] std, int size) implements AutoCloseable {

        static RawNetwork load(Path descriptorFile, JsonObject json, int size, String layer) {
            String backend = text(json, "backend", descriptorFile);
            if (!backend.equals("pytorch")) {
                throw new CamException("cam:bench: model descriptor " + descriptorFile + " is for backend '" + backend
                        + "'; the benchmark measures backend 'pytorch' (DJL): give a pytorch model");
            }
            String architecture = text(json, "architecture", descriptorFile);
            int classes = classes(json, descriptorFile);
            Architectures.Network network = Architectures.build(architecture, classes);
            if (network == null) {
                throw new CamException("cam:bench: model descriptor " + descriptorFile + " names architecture '"
                        + architecture + "'; the raw benchmark knows " + Architectures.ids());
            }
            int split = network.names().indexOf(layer);
            if (split < 0) {
                throw new CamException("cam:bench: the model has no layer '" + layer + "'; its layers are "
                        + network.names());
            }
            Path weights = weightsFile(descriptorFile, json);
            var engine = PyTorchRuntime.engine();
            return ContextLoader.call(() -> {
                NDManager manager = engine.newBaseManager();
                try {
                    network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
                    Weights.load(network.block(), manager, weights);
                    network.block().freezeParameters(true);
                } catch (IOException | MalformedModelException | RuntimeException e) {
                    manager.close();
                    throw new CamException("cam:bench: cannot load weights " + weights + ": " + e.getMessage(), e);
                }
                return new RawNetwork(manager, List.copyOf(network.block().getChildren().values()), split,
                        architecture, classes, floats(json, "mean"), floats(json, "std"), size);
            });
        }

        /** As the backend counts them: the labels, or the property {@code classes}. */
        private static int classes(JsonObject json, Path file) {
            if (json.has("labels") && !json.getAsJsonArray("labels").isEmpty()) {
                return json.getAsJsonArray("labels").size();
            }
            if (!json.has("properties")) {
                throw new CamException("cam:bench: model descriptor " + file + " has no labels and no \"classes\" "
                        + "property: give its labels or the number of classes");
            }
            return integer(json.getAsJsonObject("properties"), "classes", file);
        }

        private static float[] floats(JsonObject json, String key) {
            float[] values = new float[3];
            for (int c = 0; c < 3; c++) {
                values[c] = json.getAsJsonArray(key).get(c).getAsFloat();
            }
            return values;
        }

        /** The model input {@code [1, 3, size, size]}, normalised as the descriptor says; not timed. */
        float[] preprocess(RgbImage image) {
            byte[] rgb = image.rgb();
            int area = size * size;
            float[] data = new float[3 * area];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < area; i++) {
                    data[c * area + i] = ((rgb[3 * i + c] & 0xff) / 255f - mean[c]) / std[c];
                }
            }
            return data;
        }

        /** Pure DJL: forward to the layer, make it a gradient leaf, forward the rest, back-propagate a one-hot. */
        RawResult run(float[] input) {
            return ContextLoader.call(() -> {
                long start = System.nanoTime();
                boolean gradMode = JniUtils.isGradMode();
                JniUtils.setGradMode(true);
                try (NDManager pass = manager.newSubManager()) {
                    ParameterStore parameters = new ParameterStore(pass, false);
                    NDList x = new NDList(pass.create(input, new Shape(1, 3, size, size)));
                    NDArray leaf = null;
                    for (int i = 0; i < children.size(); i++) {
                        x = children.get(i).forward(parameters, x, false);
                        if (i == split) {
                            leaf = x.singletonOrThrow().stopGradient();
                            leaf.setRequiresGradient(true);
                            x = new NDList(leaf);
                        }
                    }
                    NDArray output = x.singletonOrThrow();
                    float[] logits = output.toFloatArray();
                    int predicted = 0;
                    for (int k = 1; k < logits.length; k++) {
                        predicted = logits[k] > logits[predicted] ? k : predicted;
                    }
                    long forwardEnd = System.nanoTime();
                    float[] oneHot = new float[logits.length];
                    oneHot[predicted] = 1;
                    NDArray seed = pass.create(oneHot, output.getShape());
                    JniUtils.backward((PtNDArray) output, (PtNDArray) seed, false, false);
                    float[] gradient = leaf.getGradient().toFloatArray();
                    long end = System.nanoTime();
                    return new RawResult(logits, predicted, gradient, forwardEnd - start, end - forwardEnd);
                } finally {
                    JniUtils.setGradMode(gradMode);
                }
            });
        }

        @Override
        public void close() {
            ContextLoader.run(manager::close);
        }
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
