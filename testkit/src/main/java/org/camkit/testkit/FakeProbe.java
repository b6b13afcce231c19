package org.camkit.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;

/**
 * A {@link ModelProbe} for a CAM method's unit tests: each answer is given to its {@link Builder}, and the probe
 * records what the method asked (the batch sizes it scored, the rows it scored from a layer, its progress reports).
 * A call whose answer was not given fails the test with an {@link AssertionError} naming the builder method that
 * gives it.
 *
 * <pre>{@code
 * FakeProbe probe = FakeProbe.builder().input(x).scoreInputs(FakeProbe.linear(v, 0)).build();
 * CamMaps maps = new Occlusion().compute(new LayerData(null, null, null, new float[1], probe, Map.of()));
 * assertEquals(List.of(1, 16), probe.batchSizes());
 * }</pre>
 *
 * <p>{@link #reference(ReferenceNet, Tensor, Tensor)} answers everything from a {@link ReferenceNet} and the linear
 * target {@code score = seed . output}; {@link Builder#declared(Set)} makes the probe refuse what a method did not
 * declare in {@code requires()}, as the core's probe does. {@link MethodConformance} uses both.
 *
 * <p>Used from one thread, as the core's probe is.
 *
 * @since 1.0
 */
public final class FakeProbe implements ModelProbe {

    /** Scores one row of a batch: one input image, or one image's activations at a layer. */
    @FunctionalInterface
    public interface Scorer {
        /**
         * @param image the index of the image whose target scores the row
         * @param row   the row, shaped {@code [1, ...]}
         * @return the target score
         */
        double score(int image, Tensor row);
    }

    /**
     * Answers a back-propagation of one image's target over a batch: perturbed inputs
     * ({@link ModelProbe#layerGradients}) or a layer's activations ({@link ModelProbe#gradientsFromLayer}).
     *
     * @since 1.3
     */
    @FunctionalInterface
    public interface Backprop {
        /**
         * @param image the index of the image whose target is back-propagated
         * @param layer the layer
         * @param batch the inputs or activations
         * @return the activations, gradients and scores
         */
        LayerGradients run(int image, String layer, Tensor batch);
    }

    /** A scorer that also knows the layer (null for input rows). */
    @FunctionalInterface
    private interface LayerScorer {
        double score(int image, String layer, Tensor row);
    }

    private final ModelDescriptor model;
    private final Tensor input;
    private final float[][] seeds;
    private final LayerScorer inputScore;
    private final LayerScorer layerScore;
    private final InputGradients inputGradients;
    private final Tensor guidedGradients;
    private final LinearHead head;
    private final Backprop layerGradients;
    private final Backprop fromLayer;
    private final Set<Capability> declared;
    private final int cancelAfter;
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<float[]> layerRows = new ArrayList<>();
    private final List<int[]> progress = new ArrayList<>();

    private FakeProbe(Builder b) {
        this.input = b.input;
        this.model = b.model != null ? b.model : new ModelDescriptor("fake", "fake", Path.of("/fake"), "",
                input == null ? 8 : input.dim(3), input == null ? 8 : input.dim(2), new float[3],
                new float[] {1, 1, 1}, b.labels, "layer", Map.of());
        this.seeds = b.seeds;
        this.inputScore = b.inputScore;
        this.layerScore = b.layerScore;
        this.inputGradients = b.inputGradients;
        this.guidedGradients = b.guidedGradients;
        this.head = b.head;
        this.layerGradients = b.layerGradients;
        this.fromLayer = b.fromLayer;
        this.declared = b.declared;
        this.cancelAfter = b.cancelAfter;
    }

    /** @return a builder of a probe that answers nothing yet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder whose every answer comes from a reference net and the linear target {@code score = seed . output}:
     * the net's descriptor, the input, the seeds, scores of inputs and of a layer's activations, input gradients
     * with bias terms, guided gradients and the net's linear head (if it has one).
     *
     * @param net   the network
     * @param input its input {@code [N, 3, H, W]}
     * @param seeds the targets' seeds {@code [N, K]}
     * @return the builder, for more settings (e.g. {@link Builder#declared})
     */
    public static Builder reference(ReferenceNet net, Tensor input, Tensor seeds) {
        float[][] rows = new float[seeds.dim(0)][net.classes()];
        for (int n = 0; n < rows.length; n++) {
            seeds.copyTo(n * rows[n].length, rows[n], 0, rows[n].length);
        }
        Builder b = builder().input(input).seeds(rows)
                .inputGradients(new InputGradients(net.output(input), net.inputGradients(input, seeds),
                        net.biasTerms(input, seeds)))
                .guidedGradients(net.guidedGradients(input, seeds));
        b.model = net.descriptor("fake", Path.of("/fake"), "", Map.of());
        b.inputScore = (image, layer, row) -> dot(rows[image], net.output(row));
        b.layerScore = (image, layer, row) -> dot(rows[image], net.outputFrom(layer, row));
        net.linearHead().ifPresent(b::linearHead);
        return b;
    }

    private static double dot(float[] seed, Tensor output) {
        double sum = 0;
        for (int k = 0; k < seed.length; k++) {
            sum += (double) seed[k] * output.get(k);
        }
        return sum;
    }

    /**
     * @param v    one weight per value of a row
     * @param bias added to every score
     * @return a score linear in the row's values: {@code sum_j v[j] * row[j] + bias}
     */
    public static Scorer linear(float[] v, double bias) {
        float[] weights = v.clone();
        return (image, row) -> {
            double sum = bias;
            for (int j = 0; j < row.size(); j++) {
                sum += weights[j] * row.get(j);
            }
            return sum;
        };
    }

    /**
     * @param w    one weight per channel
     * @param bias added to every score
     * @param area positions per channel
     * @return a global-average-pool + linear head on rows {@code [1, C, h, w]}: {@code sum_k w[k] mean(A_k) + bias}
     */
    public static Scorer gapLinear(float[] w, double bias, int area) {
        float[] weights = w.clone();
        return (image, row) -> {
            double sum = bias;
            for (int k = 0; k < weights.length; k++) {
                double mean = 0;
                for (int p = 0; p < area; p++) {
                    mean += row.get(k * area + p);
                }
                sum += weights[k] * mean / area;
            }
            return sum;
        };
    }

    @Override
    public ModelDescriptor model() {
        return model;
    }

    @Override
    public Tensor input() {
        return given(input, "input", "input");
    }

    @Override
    public float[] seed(int image) {
        return given(seeds, "seed", "seeds")[image].clone();
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        return score(image, null, inputs, given(inputScore, "scoreInputs", "scoreInputs"), false);
    }

    @Override
    public float[] scoreFromLayer(int image, String layer, Tensor activations) {
        requireDeclared(Capability.FORWARD_FROM_LAYER);
        return score(image, layer, activations, given(layerScore, "scoreFromLayer", "scoreFromLayer"), true);
    }

    private float[] score(int image, String layer, Tensor batch, LayerScorer scorer, boolean record) {
        int rows = batch.dim(0);
        int size = batch.size() / rows;
        int[] shape = batch.shape();
        shape[0] = 1;
        batchSizes.add(rows);
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            float[] row = new float[size];
            batch.copyTo(r * size, row, 0, size);
            if (record) {
                layerRows.add(row.clone());
            }
            out[r] = (float) scorer.score(image, layer, Tensor.of(row, shape));
        }
        return out;
    }

    @Override
    public LayerGradients layerGradients(int image, String layer, Tensor inputs) {
        requireDeclared(Capability.GRADIENTS);
        batchSizes.add(inputs.dim(0));
        return given(layerGradients, "layerGradients", "layerGradients").run(image, layer, inputs);
    }

    @Override
    public LayerGradients gradientsFromLayer(int image, String layer, Tensor activations) {
        requireDeclared(Capability.BACKWARD_FROM_LAYER);
        batchSizes.add(activations.dim(0));
        return given(fromLayer, "gradientsFromLayer", "gradientsFromLayer").run(image, layer, activations);
    }

    @Override
    public InputGradients inputGradients() {
        if (declared != null && !declared.contains(Capability.BIAS_GRADIENTS)) {
            requireDeclared(Capability.INPUT_GRADIENTS);
            InputGradients g = given(inputGradients, "inputGradients", "inputGradients");
            return new InputGradients(g.output(), g.input(), Map.of());
        }
        return given(inputGradients, "inputGradients", "inputGradients");
    }

    @Override
    public Tensor guidedGradients() {
        requireDeclared(Capability.GUIDED_BACKPROP);
        return given(guidedGradients, "guidedGradients", "guidedGradients");
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.ofNullable(head);
    }

    @Override
    public void progress(int done, int total) {
        progress.add(new int[] {done, total});
        if (progress.size() >= cancelAfter) {
            throw new CamException("cancelled: the fake probe cancels at progress report " + cancelAfter);
        }
    }

    /** @return the batch size of every scoring or back-propagation call, inputs and layer rows alike, in order */
    public List<Integer> batchSizes() {
        return Collections.unmodifiableList(batchSizes);
    }

    /** @return every row scored from a layer, flattened, in order */
    public List<float[]> layerRows() {
        return Collections.unmodifiableList(layerRows);
    }

    /** @return every progress report {@code {done, total}}, in order */
    public List<int[]> progress() {
        return Collections.unmodifiableList(progress);
    }

    private void requireDeclared(Capability capability) {
        if (declared != null && !declared.contains(capability)) {
            throw new AssertionError("the method used " + capability + " without declaring it in requires() (it "
                    + "declares " + declared + "); declare it, so that a model without it is refused before "
                    + "inference");
        }
    }

    private static <T> T given(T value, String call, String builderMethod) {
        if (value == null) {
            throw new AssertionError("the method called ModelProbe." + call + ", which this FakeProbe was not "
                    + "given: set it with FakeProbe.Builder." + builderMethod);
        }
        return value;
    }

    /** Sets what a {@link FakeProbe} answers; everything is optional. */
    public static final class Builder {

        private ModelDescriptor model;
        private Tensor input;
        private List<String> labels = List.of();
        private float[][] seeds;
        private LayerScorer inputScore;
        private LayerScorer layerScore;
        private InputGradients inputGradients;
        private Tensor guidedGradients;
        private LinearHead head;
        private Backprop layerGradients;
        private Backprop fromLayer;
        private Set<Capability> declared;
        private int cancelAfter = Integer.MAX_VALUE;

        private Builder() {
        }

        /**
         * @param input the batch {@code [N, 3, H, W]}; the descriptor's input size follows it (8x8 without one)
         * @return this
         */
        public Builder input(Tensor input) {
            this.input = input;
            return this;
        }

        /**
         * @param labels the descriptor's class labels
         * @return this
         */
        public Builder labels(List<String> labels) {
            this.labels = List.copyOf(labels);
            return this;
        }

        /**
         * @param seeds per image, d(score)/d(output) {@code [K]} (copied)
         * @return this
         */
        public Builder seeds(float[]... seeds) {
            this.seeds = new float[seeds.length][];
            for (int n = 0; n < seeds.length; n++) {
                this.seeds[n] = seeds[n].clone();
            }
            return this;
        }

        /**
         * @param scorer the target score of each perturbed input
         * @return this
         */
        public Builder scoreInputs(Scorer scorer) {
            this.inputScore = (image, layer, row) -> scorer.score(image, row);
            return this;
        }

        /**
         * @param scorer the target score of each row of activations given at a layer
         * @return this
         */
        public Builder scoreFromLayer(Scorer scorer) {
            this.layerScore = (image, layer, row) -> scorer.score(image, row);
            return this;
        }

        /**
         * @param gradients what {@link FakeProbe#inputGradients()} returns
         * @return this
         */
        public Builder inputGradients(InputGradients gradients) {
            this.inputGradients = gradients;
            return this;
        }

        /**
         * @param gradients what {@link FakeProbe#guidedGradients()} returns {@code [N, 3, H, W]}
         * @return this
         */
        public Builder guidedGradients(Tensor gradients) {
            this.guidedGradients = gradients;
            return this;
        }

        /**
         * @param head the model's global-average-pool + linear head
         * @return this
         */
        public Builder linearHead(LinearHead head) {
            this.head = head;
            return this;
        }

        /**
         * @param answer what {@link FakeProbe#layerGradients} returns for a batch of perturbed inputs
         * @return this
         * @since 1.3
         */
        public Builder layerGradients(Backprop answer) {
            this.layerGradients = answer;
            return this;
        }

        /**
         * @param answer what {@link FakeProbe#gradientsFromLayer} returns for a batch of activations
         * @return this
         * @since 1.3
         */
        public Builder gradientsFromLayer(Backprop answer) {
            this.fromLayer = answer;
            return this;
        }

        /**
         * Makes the probe refuse, with an {@link AssertionError}, calls that need a capability outside
         * {@code requires}: {@code scoreFromLayer} ({@link Capability#FORWARD_FROM_LAYER}), {@code layerGradients}
         * ({@link Capability#GRADIENTS}), {@code gradientsFromLayer} ({@link Capability#BACKWARD_FROM_LAYER}),
         * {@code inputGradients}
         * ({@link Capability#INPUT_GRADIENTS} or {@link Capability#BIAS_GRADIENTS}; bias terms only with the
         * latter) and {@code guidedGradients} ({@link Capability#GUIDED_BACKPROP}).
         *
         * @param requires what the method declares
         * @return this
         */
        public Builder declared(Set<Capability> requires) {
            this.declared = requires.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(requires);
            return this;
        }

        /**
         * @param reports the progress report at which the request counts as cancelled: that call throws a
         *                {@link CamException}, as the core's probe does for an interrupted request
         * @return this
         */
        public Builder cancelAfter(int reports) {
            this.cancelAfter = reports;
            return this;
        }

        /** @return the probe */
        public FakeProbe build() {
            return new FakeProbe(this);
        }
    }
}
