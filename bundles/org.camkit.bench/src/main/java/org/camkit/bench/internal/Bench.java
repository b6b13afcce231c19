package org.camkit.bench.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelInputs;

/**
 * What every cam:bench mode uses: the Explainer it times, core's model inputs, the engine baselines, the console that
 * shows progress, and the folder that holds descriptor copies at the bench's input size.
 */
final class Bench {

    /** Finds the engine baseline of a backend. */
    @FunctionalInterface
    interface Baselines {
        /** @throws CamException naming the backend and the backends that have a baseline */
        EngineBaseline of(String backend);
    }

    /** The option the batched methods (scorecam, ablationcam) share. */
    static final String BATCH_SIZE = "batch-size";

    private final Explainer explainer;
    private final ModelInputs inputs;
    private final Baselines baselines;
    private final PrintStream console;
    private final Path workDir;

    Bench(Explainer explainer, ModelInputs inputs, Baselines baselines, PrintStream console, Path workDir) {
        this.explainer = explainer;
        this.inputs = inputs;
        this.baselines = baselines;
        this.console = console;
        this.workDir = workDir;
    }

    Explainer explainer() {
        return explainer;
    }

    PrintStream console() {
        return console;
    }

    Path workDir() {
        return workDir;
    }

    /**
     * @param model a registered model name or descriptor path
     * @param size  the input width and height, or 0 for the model's own (square) size
     * @return the model at that size: itself, or through a descriptor copy (same path and content on every run, so
     *         that the Explainer's model cache keeps one entry per model and size)
     */
    Subject subject(String model, int size) {
        ModelDescriptor descriptor = inputs.descriptor(model);
        if (size == 0 && descriptor.inputWidth() != descriptor.inputHeight()) {
            throw new CamException("cam:bench times square inputs; model '" + model + "' takes "
                    + descriptor.inputWidth() + "x" + descriptor.inputHeight() + ": give --size");
        }
        if (size == 0 || (descriptor.inputWidth() == size && descriptor.inputHeight() == size)) {
            return new Subject(model, descriptor, model);
        }
        ModelDescriptor resized = descriptor.withInputSize(size, size);
        Path copy = inputs.save(resized, workDir().resolve(descriptor.name() + "-" + size + ".json"));
        return new Subject(model, resized, copy.toString());
    }

    /** @return the model's network loaded by its backend's engine baseline, on {@code image} as core preprocesses it */
    EngineBaseline.Network baseline(Subject subject, String layer, RgbImage image) {
        return baselines.of(subject.backend()).load(subject.descriptor(), layer,
                inputs.preprocess(subject.descriptor(), List.of(image)));
    }

    /** @return an explain request on one image at one layer; a positive {@code batchSize} sets the option */
    static ExplainRequest request(Subject subject, RgbImage image, String layer, String method, Progress progress,
            int batchSize) {
        return request(subject, image, layer, method, progress, batchSize, Map.of());
    }

    /** @return {@link #request(Subject, RgbImage, String, String, Progress, int)} with further method options */
    static ExplainRequest request(Subject subject, RgbImage image, String layer, String method, Progress progress,
            int batchSize, Map<String, String> options) {
        ExplainRequest.Builder builder = ExplainRequest.builder(subject.explained()).image(ImageInput.of(image))
                .layer(layer).method(method).progress(progress);
        options.forEach(builder::option);
        if (batchSize > 0) {
            builder.option(BATCH_SIZE, String.valueOf(batchSize));
        }
        return builder.build();
    }

    /**
     * @param subject the model
     * @param file    a picture
     * @return the picture as the model sees it (decoded and resized by core, through one Grad-CAM explanation)
     */
    RgbImage seen(Subject subject, Path file) {
        return explainer.explain(ExplainRequest.builder(subject.explained()).image(ImageInput.of(file)).build())
                .images().get(0).image();
    }

    /** @return a PNG of {@code image} in the work folder */
    Path png(RgbImage image) {
        Path file = workDir().resolve("bench-" + image.width() + ".png");
        try {
            return Files.write(file, image.png());
        } catch (IOException e) {
            throw new CamException("cam:bench: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A fixed picture: a bright disc on diagonal colour ramps, with noise, so that gradients are not degenerate. */
    static RgbImage syntheticImage(int size) {
        return syntheticImage(size, 0);
    }

    /** @return the fixed picture of {@link #syntheticImage(int)} with the noise of another seed ({@code variant}) */
    static RgbImage syntheticImage(int size, int variant) {
        Random random = new Random(7 + variant);
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

    /** @return the largest absolute difference of two arrays, infinite for different lengths */
    static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** @return the largest absolute value */
    static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
