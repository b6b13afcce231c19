package org.camkit.spi;

import java.util.Objects;

/**
 * A layer's activations and the gradients of one image's target at them, for a batch of perturbed passes
 * ({@link ModelProbe#layerGradients}, {@link ModelProbe#gradientsFromLayer}).
 *
 * @param activations {@code [B, C, h, w]}
 * @param gradients   d(target score)/d(activations), same shape
 * @param scores      the target score per row {@code [B]}
 * @since 1.3
 */
public record LayerGradients(Tensor activations, Tensor gradients, float[] scores) {

    /** Validates and copies the scores. */
    public LayerGradients {
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(gradients, "gradients");
        scores = scores.clone();
    }

    /** @return a copy of the scores */
    @Override
    public float[] scores() {
        return scores.clone();
    }
}
