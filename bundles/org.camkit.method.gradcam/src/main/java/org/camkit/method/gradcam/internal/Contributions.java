package org.camkit.method.gradcam.internal;

import org.camkit.spi.Tensor;

/** Builds per-position contributions {@code f(G, A)}, shaped {@code [N, C, h, w]}. */
final class Contributions {

    /** A per-position rule {@code f(gradient, activation)}. */
    @FunctionalInterface
    interface PixelRule {
        float apply(float gradient, float activation);
    }

    private Contributions() {
    }

    /**
     * @param activations {@code [N, C, h, w]}
     * @param gradients   shaped like the activations
     * @param rule        applied at every position
     * @return {@code rule(G, A)} at every position
     */
    static Tensor elementwise(Tensor activations, Tensor gradients, PixelRule rule) {
        float[] out = new float[activations.size()];
        for (int p = 0; p < out.length; p++) {
            out[p] = rule.apply(gradients.get(p), activations.get(p));
        }
        return Tensor.of(out, activations.shape());
    }
}
