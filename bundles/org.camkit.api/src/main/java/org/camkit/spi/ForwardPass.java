package org.camkit.spi;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One forward pass over a batch, with its captured layers. Closed by whoever called
 * {@link LoadedModel#forward}; used from one thread.
 *
 * @since 0.1
 */
@ConsumerType
public interface ForwardPass extends AutoCloseable {

    /** @return the model output {@code [N, K]} (logits for a classifier); the same tensor on every call */
    Tensor output();

    /**
     * @param layer a captured layer
     * @return its activations {@code [N, C, h, w]}
     */
    Tensor activations(String layer);

    /**
     * Back-propagates {@code seed = d(score)/d(output)} to every captured layer. Call at most once.
     *
     * @param seed the gradient of the target scores with respect to {@link #output()}, same shape
     * @return the gradient at each captured layer, shaped like its activations
     */
    Map<String, Tensor> gradients(Tensor seed);

    /** Releases the pass's native memory. */
    @Override
    void close();
}
