package org.camkit.spi;

/**
 * The method toolkit: what a CAM method's weighting uses over {@code [N, C, h, w]} tensors — channel means and
 * sums, channel-weighted sums and per-channel contributions. Pure functions. What core does to a finished map
 * (normalise, resize, project) is in {@link MapProcessing}.
 *
 * @since 0.1
 */
public final class Cams {

    private Cams() {
    }

    /**
     * @param t a tensor {@code [N, C, h, w]}
     * @return the spatial mean of every channel, {@code [N][C]}
     */
    public static float[][] channelMeans(Tensor t) {
        float[][] sums = channelSums(t);
        int area = t.dim(2) * t.dim(3);
        for (float[] row : sums) {
            for (int c = 0; c < row.length; c++) {
                row[c] /= area;
            }
        }
        return sums;
    }

    /**
     * @param t a tensor {@code [N, C, h, w]}
     * @return the spatial sum of every channel, {@code [N][C]}
     */
    public static float[][] channelSums(Tensor t) {
        int n = t.dim(0), c = t.dim(1), area = t.dim(2) * t.dim(3);
        float[][] out = new float[n][c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double sum = 0;
                int base = (i * c + k) * area;
                for (int p = 0; p < area; p++) {
                    sum += t.get(base + p);
                }
                out[i][k] = (float) sum;
            }
        }
        return out;
    }

    /**
     * The CAM of pytorch-grad-cam's {@code get_cam_image}: {@code map[n] = sum_k weights[n][k] * A[n, k]}.
     *
     * @param activations {@code [N, C, h, w]}
     * @param weights     {@code [N][C]}
     * @return {@code [N, h, w]}
     */
    public static Tensor weightedSum(Tensor activations, float[][] weights) {
        int n = activations.dim(0), c = activations.dim(1), h = activations.dim(2), w = activations.dim(3);
        if (weights.length != n || (n > 0 && weights[0].length != c)) {
            throw new IllegalArgumentException("weights must be [" + n + "][" + c + "]");
        }
        int area = h * w;
        float[] out = new float[n * area];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                float wk = weights[i][k];
                int base = (i * c + k) * area;
                for (int p = 0; p < area; p++) {
                    out[i * area + p] += wk * activations.get(base + p);
                }
            }
        }
        return Tensor.of(out, n, h, w);
    }

    /**
     * Per-channel contributions {@code weights[n][k] * A[n, k]}, what a {@link CamMaps.Kind#SUM} method returns.
     *
     * @param activations {@code [N, C, h, w]}
     * @param weights     {@code [N][C]}
     * @return {@code [N, C, h, w]}
     * @since 0.2
     */
    public static Tensor contributions(Tensor activations, float[][] weights) {
        int n = activations.dim(0), c = activations.dim(1), area = activations.dim(2) * activations.dim(3);
        if (weights.length != n || (n > 0 && weights[0].length != c)) {
            throw new IllegalArgumentException("weights must be [" + n + "][" + c + "]");
        }
        float[] a = activations.toArray();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                float wk = weights[i][k];
                int base = (i * c + k) * area;
                for (int p = base; p < base + area; p++) {
                    a[p] *= wk;
                }
            }
        }
        return Tensor.of(a, activations.shape());
    }
}
