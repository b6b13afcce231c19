package org.camkit.spi;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model held in memory by its backend. Thread-safe: several passes may run at once.
 *
 * <p>What the model can do is what it returns: layers to capture (activations and their gradients), and optional
 * roles for the rest. {@link Capability#of(LoadedModel)} derives the capability set from them, so the set cannot
 * drift from the code; a role a model lacks is absent, never a stub that throws.
 *
 * @since 0.1
 */
@ConsumerType
public interface LoadedModel extends AutoCloseable {

    /** @return the descriptor it was loaded from */
    ModelDescriptor descriptor();

    /**
     * @return the names of the layers whose activations and gradients can be captured, in network order; empty when
     *         the model offers none ({@link Capability#ACTIVATIONS} and {@link Capability#GRADIENTS} absent)
     */
    List<String> layers();

    /**
     * Runs the model on a batch, capturing the named layers.
     *
     * @param input  preprocessed input {@code [N, 3, H, W]} (RGB, normalised with the descriptor's mean/std)
     * @param layers names from {@link #layers()} to capture; may be empty
     * @return the pass, which the caller closes; it holds native memory until closed
     * @throws org.camkit.api.CamException if a layer name is unknown (the message lists the known ones)
     */
    ForwardPass forward(Tensor input, List<String> layers);

    /**
     * Each role is absent unless the model overrides its method to provide it.
     *
     * @return the role {@link Capability#FORWARD_FROM_LAYER}, or empty (the default)
     * @since 1.0
     */
    default Optional<LayerForward> layerForward() {
        return Optional.empty();
    }

    /**
     * @return the role {@link Capability#BACKWARD_FROM_LAYER}, or empty (the default)
     * @since 1.3
     */
    default Optional<LayerBackward> layerBackward() {
        return Optional.empty();
    }

    /**
     * @return the role {@link Capability#INPUT_GRADIENTS}: plain input gradients (its bias terms may be empty), or
     *         empty
     * @since 1.0
     */
    default Optional<InputBackward> inputBackward() {
        return Optional.empty();
    }

    /**
     * @return the role {@link Capability#BIAS_GRADIENTS}: input gradients with {@code bias * gradient} for every
     *         layer with a bias, or empty
     * @since 1.0
     */
    default Optional<InputBackward> biasBackward() {
        return Optional.empty();
    }

    /**
     * @return the role {@link Capability#GUIDED_BACKPROP}: input gradients with ReLUs passing back
     *         {@code g * [x > 0] * [g > 0]}, or empty
     * @since 1.0
     */
    default Optional<InputBackward> guidedBackward() {
        return Optional.empty();
    }

    /**
     * @return the role {@link Capability#LINEAR_HEAD}: the model's global-average-pool + linear head, or empty
     * @since 1.0
     */
    default Optional<LinearHead> linearHead() {
        return Optional.empty();
    }

    /**
     * @return the role that re-initialises layers for the model-randomisation sanity check, or empty
     * @since 1.2
     */
    default Optional<Randomisation> randomisation() {
        return Optional.empty();
    }

    /**
     * @return how to make this model provide more (e.g. how to export a layer split), for error messages; empty
     *         when there is nothing to say
     * @since 0.2
     */
    default String capabilityHint() {
        return "";
    }

    /** Releases the model's native memory. */
    @Override
    void close();
}
