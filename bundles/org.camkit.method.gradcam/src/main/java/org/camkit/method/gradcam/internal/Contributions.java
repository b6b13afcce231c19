package org.camkit.method.gradcam.internal;

import org.camkit.spi.Tensor;

/** Builds per-channel contributions {@code [N, C, h, w]} from activations and gradients. */
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
     * @param weights     {@code [N][C]}
     * @return {@code weights[n][k] * A[n, k]}, shaped like the activations
     */
    static Tensor weighted(Tensor activations, float[][] weights) {
        int n = activations.dim(0), c = activations.dim(1), area = activations.dim(2) * activations.dim(3);
        float[] a = activations.data();
        float[] out = new float[a.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                float w = weights[i][k];
                int base = (i * c + k) * area;
                for (int p = base; p < base + area; p++) {
                    out[p] = w * a[p];
                }
            }
        }
        return new Tensor(activations.shape(), out);
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
