package org.camkit.spi;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a loaded model can do, and what a CAM method needs. A method whose needs a model does not provide is refused
 * before any inference runs.
 *
 * @since 0.1
 */
public enum Capability {
    /** Activations of a named layer, captured during the forward pass ({@link LoadedModel#layers()} not empty). */
    ACTIVATIONS,
    /** Gradients of a target score at a captured layer ({@link ForwardPass#gradients}). */
    GRADIENTS,
    /** Running the rest of the network from given activations of a layer ({@link LoadedModel#layerForward()}). */
    FORWARD_FROM_LAYER,
    /**
     * Running the rest of the network from given activations of a layer and back-propagating to them
     * ({@link LoadedModel#layerBackward()}).
     *
     * @since 1.3
     */
    BACKWARD_FROM_LAYER,
    /** Gradients of a target score with respect to the input ({@link LoadedModel#inputBackward()}). */
    INPUT_GRADIENTS,
    /** {@code bias * gradient} at every layer with a bias ({@link LoadedModel#biasBackward()}). */
    BIAS_GRADIENTS,
    /** Input gradients with the guided-backpropagation ReLU backward ({@link LoadedModel#guidedBackward()}). */
    GUIDED_BACKPROP,
    /** A global-average-pool + linear head whose weights can be read ({@link LoadedModel#linearHead()}). */
    LINEAR_HEAD;

    /**
     * @param model a loaded model
     * @return what it provides, derived from what it returns: its layers and its roles
     * @since 1.0
     */
    public static Set<Capability> of(LoadedModel model) {
        Set<Capability> provided = EnumSet.noneOf(Capability.class);
        if (!model.layers().isEmpty()) {
            provided.add(ACTIVATIONS);
            provided.add(GRADIENTS);
        }
        if (model.layerForward().isPresent()) {
            provided.add(FORWARD_FROM_LAYER);
        }
        if (model.layerBackward().isPresent()) {
            provided.add(BACKWARD_FROM_LAYER);
        }
        if (model.inputBackward().isPresent()) {
            provided.add(INPUT_GRADIENTS);
        }
        if (model.biasBackward().isPresent()) {
            provided.add(BIAS_GRADIENTS);
        }
        if (model.guidedBackward().isPresent()) {
            provided.add(GUIDED_BACKPROP);
        }
        if (model.linearHead().isPresent()) {
            provided.add(LINEAR_HEAD);
        }
        return provided;
    }
}
