package org.camkit.backend.tensorflow.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.Tensor;

/*
 * One forward pass of a TensorFlow model (a graph or a Keras SavedModel's signatures): its output and captured
 * activations, already copied to Java arrays (it holds no native memory). The gradients are one more Session run on
 * the same input, fed with the seed.
 */
final class TfForwardPass implements ForwardPass {

    /** How a model back-propagates a seed from its output to layers, for a pass's input. */
    @FunctionalInterface
    interface Backward {
        /**
         * @param input       the pass's input
         * @param activations the pass's captured layers and their activations, in capture order
         * @param seed        d(score)/d(output)
         * @return the gradients of {@code sum(seed * output)} at the captured layers, NCHW, in their order
         */
        Map<String, Tensor> gradients(Tensor input, Map<String, Tensor> activations, Tensor seed);
    }

    private final String model;
    private final Tensor input;
    private final Tensor output;
    private final Map<String, Tensor> activations;
    private final Backward backward;
    private boolean backPropagated;

    TfForwardPass(String model, Tensor input, Tensor output, Map<String, Tensor> activations, Backward backward) {
        this.model = model;
        this.input = input;
        this.output = output;
        this.activations = new LinkedHashMap<>(activations);
        this.backward = backward;
    }

    @Override
    public Tensor output() {
        return output;
    }

    @Override
    public Tensor activations(String layer) {
        Tensor captured = activations.get(layer);
        if (captured == null) {
            throw new CamException("model '" + model + "': layer '" + layer + "' was not captured in this pass; "
                    + "captured: " + activations.keySet() + ". Name it in LoadedModel.forward");
        }
        return captured;
    }

    @Override
    public Map<String, Tensor> gradients(Tensor seed) {
        if (!Arrays.equals(seed.shape(), output.shape())) {
            throw new CamException("model '" + model + "': gradient seed " + seed + " must have the output's shape "
                    + Arrays.toString(output.shape()));
        }
        if (backPropagated) {
            throw new CamException("model '" + model + "': gradients were already computed for this forward pass; "
                    + "run a new forward pass to back-propagate another seed");
        }
        backPropagated = true;
        if (activations.isEmpty()) {
            return Map.of();
        }
        return backward.gradients(input, Collections.unmodifiableMap(activations), seed);
    }

    @Override
    public void close() {
        activations.clear();
    }
}
