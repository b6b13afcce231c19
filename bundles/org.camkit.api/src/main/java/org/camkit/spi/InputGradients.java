package org.camkit.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link LoadedModel#backward}: gradients of the target scores at the input, and, per layer with a
 * bias, {@code bias[c] * dScore/dOutput[n, c, i, j]} (FullGrad's bias terms).
 *
 * @param output    the model output {@code [N, K]}
 * @param input     the gradient at the input {@code [N, 3, H, W]}
 * @param biasTerms per layer with a bias, in network order: {@code [N, C, h, w]} (a linear layer gives
 *                  {@code [N, K, 1, 1]}); empty when not asked for
 * @since 0.2
 */
public record InputGradients(Tensor output, Tensor input, Map<String, Tensor> biasTerms) {

    /** Validates and copies. */
    public InputGradients {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(input, "input");
        biasTerms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(biasTerms));
    }
}
