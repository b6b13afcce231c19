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
        float[] a = activations.data();
        float[] g = gradients.data();
        float[] out = new float[a.length];
        for (int p = 0; p < a.length; p++) {
            out[p] = rule.apply(g[p], a[p]);
        }
        return new Tensor(activations.shape(), out);
    }
}
