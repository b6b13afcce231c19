package org.camkit.spi;

import java.util.List;
import java.util.Set;
import org.camkit.api.CamException;

/**
 * A model held in memory by its backend. Thread-safe: several forward passes may run at once.
 *
 * @since 0.1
 */
public interface LoadedModel extends AutoCloseable {

    /** @return the descriptor it was loaded from */
    ModelDescriptor descriptor();

    /** @return the names of the layers whose activations (and gradients) can be captured, in network order */
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
     * @return what the backend provides for this model; by default {@link Capability#ACTIVATIONS} and
     *         {@link Capability#GRADIENTS}
     * @since 0.2
     */
    default Set<Capability> capabilities() {
        return Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS);
    }

    /**
     * Runs the network from a layer on given activations, without gradients. Needs
     * {@link Capability#FORWARD_FROM_LAYER}.
     *
     * @param layer       a name from {@link #layers()}
     * @param activations {@code [B, C, h, w]}, shaped like the layer's activations
     * @return the model output {@code [B, K]}
     * @since 0.2
     */
    default Tensor outputFrom(String layer, Tensor activations) {
        throw unsupported(Capability.FORWARD_FROM_LAYER);
    }

    /**
     * Back-propagates {@code seed} to the input. Needs {@link Capability#INPUT_GRADIENTS}; bias terms need
     * {@link Capability#BIAS_GRADIENTS}, guided ReLUs {@link Capability#GUIDED_BACKPROP}.
     *
     * @param input  preprocessed input {@code [N, 3, H, W]}
     * @param seed   d(score)/d(output) {@code [N, K]}
     * @param guided whether ReLUs pass back {@code g * [x > 0] * [g > 0]} (guided backpropagation)
     * @return the input gradient and, unless guided, the bias terms
     * @since 0.2
     */
    default InputGradients backward(Tensor input, Tensor seed, boolean guided) {
        throw unsupported(guided ? Capability.GUIDED_BACKPROP : Capability.INPUT_GRADIENTS);
    }

    /**
     * Needs {@link Capability#LINEAR_HEAD}.
     *
     * @return the model's global-average-pool + linear head
     * @since 0.2
     */
    default LinearHead linearHead() {
        throw unsupported(Capability.LINEAR_HEAD);
    }

    /**
     * @return how to make this model provide more capabilities (e.g. how to export a layer split), for error
     *         messages; empty when there is nothing to say
     * @since 0.2
     */
    default String capabilityHint() {
        return "";
    }

    private CamException unsupported(Capability capability) {
        String hint = capabilityHint();
        return new CamException("model '" + descriptor().name() + "' does not provide " + capability
                + "; it provides " + capabilities() + (hint.isEmpty() ? "" : ". " + hint));
    }

    /** Releases the model's native memory. */
    @Override
    void close();
}
