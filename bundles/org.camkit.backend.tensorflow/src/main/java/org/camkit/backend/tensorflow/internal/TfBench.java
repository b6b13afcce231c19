package org.camkit.backend.tensorflow.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;

/*
 * cam:tfbench's run: Grad-CAM through camkit on the TensorFlow and the PyTorch model of one network (same weights:
 * the demo CNN, or the residual network of the fixtures) against TensorFlow's own forward+gradient (RawGradient),
 * interleaved in one run with the order rotating, so that all three
 * medians come from the same stretch of time; then ScoreCAM on both, timed per explanation and per batch (progress
 * callbacks). Progress goes to the console; the report is returned.
 */
final class TfBench {

    static final String RAW = "raw TF fwd+grad (1 session run)";
    static final String EXPLAIN_TF = "explain gradcam tensorflow";
    static final String EXPLAIN_PT = "explain gradcam pytorch";
    static final String BATCH_SIZE = "batch-size";

    /**
     * The networks cam:tfbench times: the models it explains unless told otherwise (registered names, or descriptor
     * paths resolved against the working directory: the repository root when run through ./camkit), the TF model's
     * architecture and its raw engine.
     */
    enum Network {
        DEMOCNN("democnn", "demo-biased-tensorflow", "demo-biased", DemoCnn.ID,
                "the TensorFlow demo CNN reads the PyTorch demo model's weights file"),
        RESNET("resnet", "fixtures/tensorflow/resnet224.json", "fixtures/torchscript/resnet.json", "keras",
                "the Keras SavedModel holds the TorchScript model's weights, converted by "
                        + "tools/camkit-export-tf/fixtures.py (--only resnet224 writes it)");

        final String id;
        final String tfModel;
        final String ptModel;
        final String architecture;
        final String weights;

        Network(String id, String tfModel, String ptModel, String architecture, String weights) {
            this.id = id;
            this.tfModel = tfModel;
            this.ptModel = ptModel;
            this.architecture = architecture;
            this.weights = weights;
        }

        static Network parse(String id) {
            for (Network network : values()) {
                if (network.id.equalsIgnoreCase(id)) {
                    return network;
                }
            }
            throw new CamException("cam:tfbench: unknown --network '" + id + "'; choose democnn or resnet");
        }

        RawGradient rawEngine(BenchModel tf, int size, String layer) {
            return this == DEMOCNN ? RawGradient.load(tf.modelFile(), size, layer)
                    : RawGradient.keras(tf.modelFile(), size, layer);
        }
    }

    /**
     * What to time.
     *
     * @param size               input width and height in pixels
     * @param iterations         measured Grad-CAM rounds (raw, TF, PyTorch each once per round)
     * @param warmup             Grad-CAM rounds before those, not measured (ScoreCAM: at most one)
     * @param layer              the target layer, or empty for the TF model's default layer
     * @param batchSize          ScoreCAM's option batch-size
     * @param scoreCamIterations measured ScoreCAM explanations per backend; 0 skips ScoreCAM
     */
    record Settings(int size, int iterations, int warmup, String layer, int batchSize, int scoreCamIterations) {

        Settings {
            if (size < 8 || iterations < 1 || warmup < 0 || batchSize < 1 || scoreCamIterations < 0) {
                throw new CamException("cam:tfbench needs --size >= 8, --iterations >= 1, --warmup >= 0, "
                        + "--batch-size >= 1 and --scorecam-iterations >= 0; got size " + size + ", iterations "
                        + iterations + ", warmup " + warmup + ", batch size " + batchSize + ", scorecam iterations "
                        + scoreCamIterations);
            }
        }
    }

    private final Explainer explainer;
    private final PrintStream console;
    private final Path workDir;

    /**
     * @param explainer the service whose explain calls are timed
     * @param console   where progress goes
     * @param workDir   where descriptor copies at the benchmark's size are kept
     */
    TfBench(Explainer explainer, PrintStream console, Path workDir) {
        this.explainer = explainer;
        this.console = console;
        this.workDir = workDir;
    }

    /**
     * @param network the network timed
     * @param tfModel its tensorflow model (name or descriptor path), or empty for the network's
     * @param ptModel its pytorch model with the same weights (name or descriptor path), or empty for the network's
     * @return the report
     */
    String run(Network network, String tfModel, String ptModel, Settings settings) {
        BenchModel tf = BenchModel.find(explainer, tfModel.isBlank() ? network.tfModel : tfModel, "tensorflow");
        BenchModel pt = BenchModel.find(explainer, ptModel.isBlank() ? network.ptModel : ptModel, "pytorch");
        if (!network.architecture.equals(tf.text("architecture", ""))) {
            throw new CamException("cam:tfbench --network " + network.id + " times a TensorFlow model of "
                    + "architecture '" + network.architecture + "': model '" + tf.reference() + "' has architecture '"
                    + tf.text("architecture", "") + "'");
        }
        String layer = settings.layer().isBlank() ? tf.text("defaultLayer") : settings.layer();
        int size = settings.size();
        if (network == Network.RESNET && !(tf.text("inputWidth").equals(String.valueOf(size))
                && tf.text("inputHeight").equals(String.valueOf(size)))) {
            throw new CamException("cam:tfbench: the Keras SavedModel of '" + tf.reference() + "' has a static input "
                    + "of " + tf.text("inputWidth") + "x" + tf.text("inputHeight") + "; give --size "
                    + tf.text("inputWidth") + " or a model exported at " + size + "x" + size);
        }
        String tfRef = tf.atSize(workDir, size);
        String ptRef = pt.atSize(workDir, size);
        RgbImage image = syntheticImage(size);
        try (RawGradient raw = network.rawEngine(tf, size, layer)) {
            float[] input = preprocess(image, tf);
            Timings gradcam = timeGradCam(raw, input, request(tfRef, image, layer, "gradcam", Progress.NONE),
                    request(ptRef, image, layer, "gradcam", Progress.NONE), settings);
            int channels = raw.run(input).channels();
            List<ScoreCamRow> scoreCam = settings.scoreCamIterations() == 0 ? List.of()
                    : timeScoreCam(tfRef, ptRef, image, layer, settings);
            return report(network, tf, pt, tfRef, ptRef, layer, settings, gradcam, channels, scoreCam);
        }
    }

    /** The Grad-CAM samples, the stage timings of both explain paths, and the agreement line. */
    private record Timings(BenchSamples samples, Map<String, BenchSamples> stages, String check) {
    }

    private Timings timeGradCam(RawGradient raw, float[] input, ExplainRequest tfRequest, ExplainRequest ptRequest,
            Settings settings) {
        BenchSamples samples = new BenchSamples();
        Map<String, BenchSamples> stages = new LinkedHashMap<>();
        stages.put(EXPLAIN_TF, new BenchSamples());
        stages.put(EXPLAIN_PT, new BenchSamples());
        List<String> names = List.of(RAW, EXPLAIN_TF, EXPLAIN_PT);
        List<Supplier<Object>> steps = List.of(() -> raw.run(input), () -> explainer.explain(tfRequest),
                () -> explainer.explain(ptRequest));
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
            if (i == -settings.warmup()) {
                check = agreement((RawGradient.Run) results[0], (Explanation) results[1], (Explanation) results[2]);
            }
            if (i >= 0) {
                for (int step = 0; step < 3; step++) {
                    samples.add(names.get(step), nanos[step]);
                }
                for (int step = 1; step < 3; step++) {
                    BenchSamples stageSamples = stages.get(names.get(step));
                    ((Explanation) results[step]).timings().forEach((stage, d) -> stageSamples.add(stage,
                            d.toNanos()));
                }
            }
            if (i < 0) {
                console.printf(Locale.ROOT, "gradcam warm-up %d/%d%n", i + settings.warmup() + 1, settings.warmup());
            } else if ((i + 1) % 5 == 0 || i + 1 == settings.iterations()) {
                console.printf(Locale.ROOT, "gradcam round %d/%d: raw %.1f ms, explain TF %.1f ms, explain PyTorch "
                        + "%.1f ms%n", i + 1, settings.iterations(), nanos[0] / 1e6, nanos[1] / 1e6, nanos[2] / 1e6);
            }
        }
        return new Timings(samples, stages, check);
    }

    /** ScoreCAM on one backend: time per explanation and progress callbacks (batches) per explanation. */
    record ScoreCamRow(String backend, List<Long> nanos, int batches) {

        double medianMs() {
            return BenchSamples.median(nanos) / 1e6;
        }

        double batchesPerSecond() {
            return batches / (medianMs() / 1e3);
        }
    }

    private List<ScoreCamRow> timeScoreCam(String tfRef, String ptRef, RgbImage image, String layer,
            Settings settings) {
        Counter tfCounter = new Counter();
        Counter ptCounter = new Counter();
        ExplainRequest tf = request(tfRef, image, layer, "scorecam", tfCounter, settings.batchSize());
        ExplainRequest pt = request(ptRef, image, layer, "scorecam", ptCounter, settings.batchSize());
        List<Long> tfNanos = new ArrayList<>();
        List<Long> ptNanos = new ArrayList<>();
        int warmup = Math.min(1, settings.warmup());
        for (int i = -warmup; i < settings.scoreCamIterations(); i++) {
            boolean tfFirst = (i & 1) == 0;
            long a = timed(tfFirst ? tf : pt, tfFirst ? tfCounter : ptCounter);
            long b = timed(tfFirst ? pt : tf, tfFirst ? ptCounter : tfCounter);
            if (i >= 0) {
                tfNanos.add(tfFirst ? a : b);
                ptNanos.add(tfFirst ? b : a);
            }
            console.printf(Locale.ROOT, "scorecam %s %d/%d: TF %.0f ms (%d batches), PyTorch %.0f ms (%d batches)%n",
                    i < 0 ? "warm-up" : "round", i < 0 ? 1 : i + 1, i < 0 ? 1 : settings.scoreCamIterations(),
                    (tfFirst ? a : b) / 1e6, tfCounter.calls, (tfFirst ? b : a) / 1e6, ptCounter.calls);
        }
        return List.of(new ScoreCamRow("tensorflow", tfNanos, tfCounter.calls),
                new ScoreCamRow("pytorch", ptNanos, ptCounter.calls));
    }

    private long timed(ExplainRequest request, Counter counter) {
        counter.calls = 0;
        long start = System.nanoTime();
        explainer.explain(request);
        return System.nanoTime() - start;
    }

    /** Counts the progress callbacks of one explanation: one per batch for ScoreCAM. */
    private static final class Counter implements Progress {
        private int calls;

        @Override
        public void update(String task, int done, int total) {
            calls++;
        }
    }

    private static ExplainRequest request(String model, RgbImage image, String layer, String method,
            Progress progress, int... batchSize) {
        ExplainRequest.Builder builder = ExplainRequest.builder(model).image(ImageInput.of(image)).layer(layer)
                .method(method).progress(progress);
        if (batchSize.length > 0) {
            builder.option(BATCH_SIZE, String.valueOf(batchSize[0]));
        }
        return builder.build();
    }

    /** Whether the three paths ran the same network: predicted classes, logits, and the two Grad-CAM maps. */
    static String agreement(RawGradient.Run raw, Explanation tf, Explanation pt) {
        ImageExplanation tfImage = tf.images().get(0);
        ImageExplanation ptImage = pt.images().get(0);
        float[] tfLogits = tfImage.output();
        double rawDiff = maxDifference(raw.logits(), tfLogits);
        double logitDiff = maxDifference(tfLogits, ptImage.output());
        double camDiff = maxDifference(tfImage.cam(), ptImage.cam());
        double scale = 0;
        for (float v : raw.logits()) {
            scale = Math.max(scale, Math.abs(v));
        }
        boolean same = raw.predicted() == tfImage.predicted() && tfImage.predicted() == ptImage.predicted()
                && rawDiff <= 1e-3 * (1 + scale) && logitDiff <= 1e-3 * (1 + scale);
        return String.format(Locale.ROOT, "%s: predicted class raw %d, TF %d, PyTorch %d; max |logit diff| raw-TF "
                + "%.2g, TF-PyTorch %.2g; gradcam maps TF-PyTorch max |diff| %.2g", same ? "same network"
                        : "WARNING, the paths disagree", raw.predicted(), tfImage.predicted(), ptImage.predicted(),
                rawDiff, logitDiff, camDiff);
    }

    private static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private String report(Network network, BenchModel tf, BenchModel pt, String tfRef, String ptRef, String layer, Settings settings,
            Timings gradcam, int channels, List<ScoreCamRow> scoreCam) {
        StringBuilder out = new StringBuilder();
        int size = settings.size();
        out.append(String.format(Locale.ROOT, "cam:tfbench --network %s: %s (tensorflow) vs %s (pytorch) at %dx%d, batch 1, layer "
                + "%s (%d channels), %d CPU threads%n", network.id, tf.reference(), pt.reference(), size, size, layer, channels,
                Runtime.getRuntime().availableProcessors()));
        if (network == Network.DEMOCNN) {
            boolean sameWeights = tf.modelFile().equals(pt.modelFile());
            out.append(String.format(Locale.ROOT, "weights: %s%s%n", tf.modelFile(), sameWeights ? " (both backends)"
                    : " (tensorflow), " + pt.modelFile() + " (pytorch): NOT THE SAME FILE"));
        } else {
            out.append(String.format(Locale.ROOT, "weights: %s (tensorflow), %s (pytorch): %s%n", tf.modelFile(),
                    pt.modelFile(), network.weights));
        }
        if (!tfRef.equals(tf.reference()) || !ptRef.equals(pt.reference())) {
            out.append("explain calls name ").append(tfRef).append(" (tensorflow), ").append(ptRef)
                    .append(" (pytorch): descriptor copies at the benchmark's size where the model's size differs\n");
        }
        out.append(gradcam.check()).append('\n');
        out.append(String.format(Locale.ROOT, "gradcam: %d rounds after %d warm-up, each round runs the three in "
                + "rotating order%n", settings.iterations(), settings.warmup()));
        out.append(String.format(Locale.ROOT, "%-44s %10s %10s%n", "MEASURE", "MEDIAN ms", "P90 ms"));
        BenchSamples samples = gradcam.samples();
        for (String name : samples.names()) {
            line(out, name, samples);
            BenchSamples stages = gradcam.stages().get(name);
            if (stages != null) {
                stages.names().forEach(stage -> line(out, "  " + stage, stages, stage));
            }
        }
        double raw = samples.median(RAW);
        double explainTf = samples.median(EXPLAIN_TF);
        double explainPt = samples.median(EXPLAIN_PT);
        out.append(String.format(Locale.ROOT, "ratio explain TF / raw TF: %.2f%n", explainTf / raw));
        out.append(String.format(Locale.ROOT, "ratio explain TF / explain PyTorch: %.2f%n", explainTf / explainPt));
        if (!scoreCam.isEmpty()) {
            out.append(String.format(Locale.ROOT, "scorecam %s %d: %d runs per backend after %d warm-up, "
                    + "interleaved%n", BATCH_SIZE, settings.batchSize(), settings.scoreCamIterations(),
                    Math.min(1, settings.warmup())));
            out.append(String.format(Locale.ROOT, "%-12s %12s %8s %10s%n", "BACKEND", "MS/EXPLAIN", "BATCHES",
                    "BATCHES/S"));
            int expected = (channels + settings.batchSize() - 1) / settings.batchSize();
            for (ScoreCamRow row : scoreCam) {
                out.append(String.format(Locale.ROOT, "%-12s %12.1f %8d %10.2f%s%n", row.backend(), row.medianMs(),
                        row.batches(), row.batchesPerSecond(), row.batches() == expected ? ""
                                : "  (expected ceil(" + channels + "/" + settings.batchSize() + ") = " + expected
                                        + " batches)"));
            }
            out.append(String.format(Locale.ROOT, "ratio scorecam batches/s TF / PyTorch: %.2f%n",
                    scoreCam.get(0).batchesPerSecond() / scoreCam.get(1).batchesPerSecond()));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String name, BenchSamples samples) {
        line(out, name, samples, name);
    }

    private static void line(StringBuilder out, String label, BenchSamples samples, String name) {
        out.append(String.format(Locale.ROOT, "%-44s %10.2f %10.2f%n", label, samples.median(name) / 1e6,
                samples.quantile(name, 0.9) / 1e6));
    }

    /** @return one image as the model sees it, NHWC {@code [1, H, W, 3]}: pixels / 255 minus mean, over std */
    static float[] preprocess(RgbImage image, BenchModel model) {
        float[] mean = model.floats("mean");
        float[] std = model.floats("std");
        boolean bgr = model.bgr();
        byte[] rgb = image.rgb();
        float[] out = new float[rgb.length];
        for (int i = 0; i < rgb.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                int source = bgr ? 2 - c : c;
                out[i + c] = ((rgb[i + source] & 0xff) / 255f - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** A fixed picture: a bright disc on diagonal colour ramps, with noise, so that gradients are not degenerate. */
    static RgbImage syntheticImage(int size) {
        Random random = new Random(7);
        byte[] rgb = new byte[size * size * 3];
        double radius = size / 4.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = 3 * (y * size + x);
                boolean disc = Math.hypot(x - size / 3.0, y - size / 2.0) < radius;
                int ramp = 200 * (x + y) / (2 * size);
                rgb[i] = (byte) (disc ? 230 : ramp + random.nextInt(40));
                rgb[i + 1] = (byte) (disc ? 200 : 200 - ramp + random.nextInt(40));
                rgb[i + 2] = (byte) (disc ? 40 : random.nextInt(240));
            }
        }
        return new RgbImage(size, size, rgb);
    }
}
