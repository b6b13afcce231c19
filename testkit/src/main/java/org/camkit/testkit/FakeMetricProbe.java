package org.camkit.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.camkit.api.CamException;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricProbe;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.TruthRegion;

/**
 * A {@link MetricProbe} for a metric's unit tests: a network given as a function of one input image, a target given
 * as a function of one output, and (for metrics that run the method again) a method given as a function of one
 * input. It records the batch sizes it was asked to run and its progress reports, and {@link #data} builds the
 * {@link MetricData} of one image from it, so that a test reads like the core's call.
 *
 * <pre>{@code
 * FakeMetricProbe probe = FakeMetricProbe.builder(8, 8).network(x -> new float[] {sum(x)}).build();
 * MetricValues v = new Deletion().score(probe.data("deletion", input, map, List.of(), Map.of()));
 * }</pre>
 *
 * @since 1.1
 */
public final class FakeMetricProbe implements MetricProbe {

    private final ModelDescriptor model;
    private final Function<float[], float[]> network;
    private final Function<float[], Double> target;
    private final Function<float[], float[]> method;
    private final int maxBatch;
    private final int cancelAfter;
    private float[] reference;
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<int[]> progress = new ArrayList<>();

    private FakeMetricProbe(Builder b) {
        this.model = new ModelDescriptor("fake", "fake", Path.of("/fake"), "", b.width, b.height, new float[3],
                new float[] {1, 1, 1}, b.labels, "layer", Map.of());
        this.network = b.network;
        this.target = b.target;
        this.method = b.method;
        this.maxBatch = b.maxBatch;
        this.cancelAfter = b.cancelAfter;
    }

    /**
     * @param width  the model's input width
     * @param height the model's input height
     * @return a builder of a probe on a network that sums its input into one output, scored as that output
     */
    public static Builder builder(int width, int height) {
        return new Builder(width, height);
    }

    /** Builds a {@link FakeMetricProbe}. */
    public static final class Builder {
        private final int width;
        private final int height;
        private List<String> labels = List.of();
        private Function<float[], float[]> network = x -> {
            double s = 0;
            for (float v : x) {
                s += v;
            }
            return new float[] {(float) s};
        };
        private Function<float[], Double> target;
        private Function<float[], float[]> method;
        private int maxBatch = 64;
        private int cancelAfter = -1;

        private Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        /**
         * @param labels the model's class labels
         * @return this builder
         */
        public Builder labels(String... labels) {
            this.labels = List.of(labels);
            return this;
        }

        /**
         * @param network one input image {@code [3 * H * W]} to its output
         * @return this builder
         */
        public Builder network(Function<float[], float[]> network) {
            this.network = network;
            return this;
        }

        /**
         * @param target one output to the target's score (default: the output's largest value's index on the
         *               unperturbed image, its raw value)
         * @return this builder
         */
        public Builder target(Function<float[], Double> target) {
            this.target = target;
            return this;
        }

        /**
         * @param method one input image to its map {@code [H * W]} in [0, 1]
         * @return this builder
         */
        public Builder method(Function<float[], float[]> method) {
            this.method = method;
            return this;
        }

        /**
         * @param images the largest batch a call takes (more fails as the core's limits do)
         * @return this builder
         */
        public Builder maxBatch(int images) {
            this.maxBatch = images;
            return this;
        }

        /**
         * @param reports the progress reports after which the probe acts as if the evaluation was cancelled
         * @return this builder
         */
        public Builder cancelAfter(int reports) {
            this.cancelAfter = reports;
            return this;
        }

        /** @return the probe */
        public FakeMetricProbe build() {
            return new FakeMetricProbe(this);
        }
    }

    /**
     * The data of one image, as the core builds it: the network run on {@code input}, the target scored on its output.
     *
     * @param method  the method's name
     * @param input   the image {@code [3 * H * W]}
     * @param map     its map {@code [H * W]}
     * @param truth   its annotated objects
     * @param options the metric's options
     * @return the metric's data
     */
    public MetricData data(String method, float[] input, float[] map, List<TruthRegion> truth,
            Map<String, String> options) {
        int w = model.inputWidth();
        int h = model.inputHeight();
        reference = network.apply(input.clone());
        int predicted = argmax(reference);
        return new MetricData(method, Tensor.copyOf(input, 1, 3, h, w), Tensor.copyOf(map, 1, h, w),
                List.of(reference), new float[] {(float) score(reference)}, new int[] {predicted}, List.of(truth),
                this, options);
    }

    private double score(float[] output) {
        return target != null ? target.apply(output) : output[argmax(reference)];
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public ModelDescriptor model() {
        return model;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        Tensor outputs = outputs(inputs);
        int k = outputs.size() / outputs.dim(0);
        float[] scores = new float[outputs.dim(0)];
        for (int r = 0; r < scores.length; r++) {
            float[] row = new float[k];
            outputs.copyTo(r * k, row, 0, k);
            scores[r] = (float) score(row);
        }
        return scores;
    }

    @Override
    public Tensor outputs(Tensor inputs) {
        int b = inputs.dim(0);
        if (b > maxBatch) {
            throw new CamException("a pass of " + b + " images is more than the limit of " + maxBatch);
        }
        batchSizes.add(b);
        int size = inputs.size() / b;
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            float[] x = new float[size];
            inputs.copyTo(r * size, x, 0, size);
            rows.add(network.apply(x));
        }
        int k = rows.get(0).length;
        float[] out = new float[b * k];
        for (int r = 0; r < b; r++) {
            System.arraycopy(rows.get(r), 0, out, r * k, k);
        }
        return Tensor.of(out, b, k);
    }

    @Override
    public Tensor explain(int image, Tensor inputs) {
        if (method == null) {
            throw new AssertionError("the metric ran the method again: give FakeMetricProbe.Builder.method(...)");
        }
        int b = inputs.dim(0);
        int size = inputs.size() / b;
        int plane = inputs.dim(2) * inputs.dim(3);
        float[] maps = new float[b * plane];
        for (int r = 0; r < b; r++) {
            float[] x = new float[size];
            inputs.copyTo(r * size, x, 0, size);
            System.arraycopy(method.apply(x), 0, maps, r * plane, plane);
        }
        return Tensor.of(maps, b, inputs.dim(2), inputs.dim(3));
    }

    @Override
    public void progress(int done, int total) {
        progress.add(new int[] {done, total});
        if (cancelAfter >= 0 && progress.size() > cancelAfter) {
            throw new CamException("cancelled: the evaluation was interrupted");
        }
    }

    /** @return the batch sizes of the passes run, in order */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** @return the progress reports, each {@code {done, total}} */
    public List<int[]> progress() {
        return List.copyOf(progress);
    }
}
