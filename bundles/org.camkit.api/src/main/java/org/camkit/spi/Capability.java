package org.camkit.spi;

/**
 * What a backend can do for a loaded model, and what a CAM method needs.
 * A method whose needs a backend does not declare is refused before any inference runs.
 *
 * @since 0.1
 */
public enum Capability {
    /** Activations of a named layer, captured during the forward pass. */
    ACTIVATIONS,
    /** Gradients of a target score with respect to a named layer's activations. */
    GRADIENTS
}
