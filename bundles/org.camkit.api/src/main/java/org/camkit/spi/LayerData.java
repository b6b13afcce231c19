package org.camkit.spi;

import java.util.Objects;

/**
 * What a {@link CamMethod} sees of one target layer for a batch.
 *
 * @param layer       the layer's name
 * @param activations activations {@code [N, C, h, w]}
 * @param gradients   gradients of the target scores at the layer, shaped like the activations; null when the
 *                    method does not require {@link Capability#GRADIENTS}
 * @param scores      the target score per image {@code [N]}
 * @since 0.1
 */
public record LayerData(String layer, Tensor activations, Tensor gradients, float[] scores) {

    /** Validates and copies. */
    public LayerData {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(activations, "activations");
        if (activations.rank() != 4) {
            throw new IllegalArgumentException("layer '" + layer + "': CAM methods need [N, C, h, w] activations, got "
                    + activations);
        }
        if (gradients != null && !java.util.Arrays.equals(gradients.shape(), activations.shape())) {
            throw new IllegalArgumentException("layer '" + layer + "': gradients " + gradients
                    + " do not match activations " + activations);
        }
        scores = scores.clone();
    }

    /** @return a copy of the target scores */
    @Override
    public float[] scores() {
        return scores.clone();
    }
}
