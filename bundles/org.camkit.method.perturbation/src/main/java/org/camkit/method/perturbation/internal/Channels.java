package org.camkit.method.perturbation.internal;

import org.camkit.spi.Tensor;

/** Per-channel contributions {@code w[n][k] * A[n, k]}: what a SUM-kind method returns. */
final class Channels {

    private Channels() {
    }

    /**
     * @param activations {@code [N, C, h, w]}
     * @param weights     {@code [N][C]}
     * @return {@code [N, C, h, w]} with every channel scaled by its weight
     */
    static Tensor weighted(Tensor activations, float[][] weights) {
        int n = activations.dim(0), c = activations.dim(1), area = activations.dim(2) * activations.dim(3);
        float[] a = activations.data();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                float wk = weights[i][k];
                int base = (i * c + k) * area;
                for (int p = 0; p < area; p++) {
                    a[base + p] *= wk;
                }
            }
        }
        return new Tensor(activations.shape(), a);
    }

    /** @return the values of image {@code i} of an {@code [N, ...]} array holding {@code size} values per image */
    static float[] image(float[] data, int i, int size) {
        float[] out = new float[size];
        System.arraycopy(data, i * size, out, 0, size);
        return out;
    }

    /** @return {@code scores}, checked to hold one score per scored row */
    static float[] expect(float[] scores, int rows, String method) {
        if (scores.length != rows) {
            throw new IllegalStateException("method '" + method + "': the model probe returned " + scores.length
                    + " scores for " + rows + " inputs");
        }
        return scores;
    }
}
