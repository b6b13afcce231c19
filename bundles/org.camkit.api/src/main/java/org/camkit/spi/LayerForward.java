package org.camkit.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded model's role {@link Capability#FORWARD_FROM_LAYER}: runs the rest of the network from given activations of
 * a layer, without gradients (AblationCAM's ablated channels). A model that has it returns it from
 * {@link LoadedModel#layerForward()}.
 *
 * @since 1.0
 */
@ConsumerType
public interface LayerForward {

    /**
     * @param layer       a name from {@link LoadedModel#layers()}
     * @param activations {@code [B, C, h, w]}, shaped like the layer's activations
     * @return the model output {@code [B, K]}, never null
     * @throws org.camkit.api.CamException if the layer is unknown or the activations have the wrong shape
     */
    Tensor outputFrom(String layer, Tensor activations);
}
