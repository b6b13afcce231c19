package org.camkit.spi;

import java.util.Objects;

/**
 * A global-average-pool + linear head: {@code output[k] = sum_c weights[k, c] * mean(A_c) + bias[k]}, where
 * {@code A} are the activations entering the pooling.
 *
 * @param layer   the layer whose activations enter the pooling
 * @param weights {@code [K, C]}
 * @param bias    {@code [K]}
 * @since 0.2
 */
public record LinearHead(String layer, Tensor weights, float[] bias) {

    /** Validates and copies. */
    public LinearHead {
        Objects.requireNonNull(layer, "layer");
        if (weights.rank() != 2 || bias.length != weights.dim(0)) {
            throw new IllegalArgumentException("a linear head needs weights [K, C] and bias [K], got " + weights
                    + " and " + bias.length);
        }
        bias = bias.clone();
    }

    /** @return a copy of the bias */
    @Override
    public float[] bias() {
        return bias.clone();
    }
}
