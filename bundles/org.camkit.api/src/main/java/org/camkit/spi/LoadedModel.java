package org.camkit.spi;

import java.util.List;

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

    /** Releases the model's native memory. */
    @Override
    void close();
}
