package org.camkit.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded model's role {@link Capability#BACKWARD_FROM_LAYER}: runs the rest of the network from given activations
 * of a layer and back-propagates a seed to them (ShapleyCAM's head gradients at shifted activations). A model that
 * has it returns it from {@link LoadedModel#layerBackward()}.
 *
 * @since 1.3
 */
@ConsumerType
public interface LayerBackward {

    /**
     * @param layer       a name from {@link LoadedModel#layers()}
     * @param activations {@code [B, C, h, w]}, shaped like the layer's activations
     * @return a pass, closed by the caller, whose {@link ForwardPass#output()} is the model output {@code [B, K]}
     *         and whose {@link ForwardPass#gradients} gives the gradient at {@code layer} (its only captured layer,
     *         whose activations are the ones given)
     * @throws org.camkit.api.CamException if the layer is unknown or the activations have the wrong shape
     */
    ForwardPass from(String layer, Tensor activations);
}
