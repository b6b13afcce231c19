package org.camkit.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A backend's own forward and backward pass with no camkit code in between: what a user of the engine writes to get
 * the gradient of the top class at a layer. Benchmarks time {@link org.camkit.api.Explainer#explain} against it.
 * Optional: a backend registers one as a service named with {@link org.camkit.spi.propertytypes.Backend}, like its
 * {@link ModelBackend}, and it does nothing else.
 *
 * @since 1.0
 */
@ConsumerType
public interface EngineBaseline {

    /**
     * Loads the model's network for raw passes to one layer on one input.
     *
     * @param model a model of this backend; its input size is the size of {@code input}
     * @param layer one of the model's layers
     * @param input one preprocessed image {@code [1, 3, H, W]} ({@link ModelInputs#preprocess}); any conversion to
     *              the engine's layout happens here, once, not in {@link Network#run}
     * @return the loaded network, which the caller closes
     * @throws org.camkit.api.CamException if the model cannot be loaded or has no such layer, naming the fix
     */
    Network load(ModelDescriptor model, String layer, Tensor input);

    /**
     * The class a baseline back-propagates, as {@link Run#predicted} defines it.
     *
     * @param output a model output for one image, {@code [1, K]} or maps {@code [1, K, ...]}
     * @return the class with the largest output, or for maps the largest sum over its map
     */
    static int topClass(Tensor output) {
        float[] values = output.toArray();
        int classes = output.rank() >= 2 ? output.dim(1) : values.length;
        int area = values.length / classes;
        double[] sums = new double[classes];
        for (int i = 0; i < values.length; i++) {
            sums[i / area] += values[i];
        }
        int best = 0;
        for (int k = 1; k < classes; k++) {
            best = sums[k] > sums[best] ? k : best;
        }
        return best;
    }

    /**
     * @param output   a model output for one image, {@code [1, K]} or maps {@code [1, K, ...]}
     * @param topClass the class back-propagated ({@link #topClass})
     * @return d(score)/d(output), shaped like {@code output}: ones on that class's output (its logit or its whole
     *         map), zeros elsewhere
     */
    static Tensor seed(Tensor output, int topClass) {
        int size = output.toArray().length;
        int area = size / (output.rank() >= 2 ? output.dim(1) : size);
        float[] seed = new float[size];
        java.util.Arrays.fill(seed, topClass * area, (topClass + 1) * area, 1f);
        return Tensor.copyOf(seed, output.shape());
    }

    /**
     * @param one   one image's tensor, {@code [1, ...]}
     * @param batch the copies wanted, at least 1
     * @return {@code [batch, ...]}: {@code one} repeated along the first axis, for {@link Network#forward}
     * @throws org.camkit.api.CamException if {@code batch} is below 1 or {@code one} is not one image
     */
    static Tensor repeat(Tensor one, int batch) {
        if (batch < 1 || one.rank() == 0 || one.dim(0) != 1) {
            throw new org.camkit.api.CamException("a batched forward pass repeats one image [1, ...] at least once, "
                    + "got " + batch + " of " + one);
        }
        int size = one.size();
        float[] data = new float[batch * size];
        for (int i = 0; i < batch; i++) {
            one.copyTo(0, data, i * size, size);
        }
        int[] shape = one.shape();
        shape[0] = batch;
        return Tensor.of(data, shape);
    }

    /** A loaded network; used by one thread at a time. */
    @ConsumerType
    interface Network extends AutoCloseable {

        /**
         * One raw pass on the loaded input: forward to the output, then the gradient of the top class's score at the
         * layer, read into Java memory.
         *
         * @return what the pass computed, never null
         */
        Run run();

        /**
         * The engine's own batched forward pass, without gradients, as a perturbation method makes it: the loaded
         * image repeated {@code batch} times from the input (ScoreCAM's masked inputs), or with {@code fromLayer}
         * the image's activations at the layer repeated, from the layer to the output (AblationCAM's ablated
         * activations). The batch goes in from Java memory and the outputs come back into it, as a method's passes
         * do; building the repeated batch ({@link EngineBaseline#repeat}) is not part of the pass.
         *
         * @param batch     the images in the pass, at least 1
         * @param fromLayer start at the layer rather than at the input
         * @return the outputs, {@code [batch, ...]}
         * @throws org.camkit.api.CamException if the network cannot run from the layer, naming why
         */
        Tensor forward(int batch, boolean fromLayer);

        /** Frees the engine's resources. */
        @Override
        void close();
    }

    /**
     * What one raw pass computed.
     *
     * @param output       the model output, flattened
     * @param predicted    the class whose score was back-propagated: the largest output (for maps
     *                     {@code [1, K, H, W]} the largest sum over a map)
     * @param channels     the layer's channels, as camkit shows the layer
     * @param gradientNorm the L2 norm of the layer's gradient as camkit shows the layer (of a token layout, the grid's
     *                     tokens); all of it read, a check against the backend's own gradient
     * @param stages       the parts of the pass the engine times apart (e.g. {@code forward}, {@code backward}), in
     *                     order; empty when the pass is one engine call
     */
    record Run(float[] output, int predicted, int channels, double gradientNorm, Map<String, Duration> stages) {

        /** Copies. */
        public Run {
            output = output.clone();
            stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        }

        /** @return a copy of the output */
        @Override
        public float[] output() {
            return output.clone();
        }
    }
}
