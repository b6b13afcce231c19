package org.camkit.spi;

import java.util.Set;

/**
 * A class-activation-map method: turns one layer's activations (and gradients) into a low-resolution map per
 * image. Registered as a service named with {@link org.camkit.spi.propertytypes.Method}.
 *
 * <p>It implements only that step. The core applies ReLU, per-layer min-max normalisation, upsampling to the
 * input size and multi-layer aggregation, as pytorch-grad-cam's {@code BaseCAM} does.
 *
 * @since 0.1
 */
public interface CamMethod {

    /**
     * @return what the method needs from the backend; by default activations and gradients
     */
    default Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS);
    }

    /**
     * @param data one layer's activations, gradients and target scores
     * @return the map per image {@code [N, h, w]}, before ReLU and normalisation; never null
     */
    Tensor compute(LayerData data);
}
