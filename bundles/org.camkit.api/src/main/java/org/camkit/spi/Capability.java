package org.camkit.spi;

/**
 * What a backend can do for a loaded model, and what a CAM method needs.
 * A method whose needs a model's backend does not provide is refused before any inference runs.
 *
 * @since 0.1
 */
public enum Capability {
    /** Activations of a named layer, captured during the forward pass. */
    ACTIVATIONS,
    /** Gradients of a target score with respect to a named layer's activations. */
    GRADIENTS,
    /** Running the rest of the network from given activations of a layer ({@link LoadedModel#outputFrom}). */
    FORWARD_FROM_LAYER,
    /** Gradients of a target score with respect to the input ({@link LoadedModel#backward}). */
    INPUT_GRADIENTS,
    /** {@code bias * gradient} at every layer with a bias ({@link InputGradients#biasTerms()}). */
    BIAS_GRADIENTS,
    /** Input gradients with the guided-backpropagation ReLU backward {@code g * [x > 0] * [g > 0]}. */
    GUIDED_BACKPROP,
    /** A global-average-pool + linear head whose weights can be read ({@link LoadedModel#linearHead()}). */
    LINEAR_HEAD
}
