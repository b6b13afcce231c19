package org.camkit.method.perturbation.internal;

import org.camkit.spi.Tensor;

/** Small array helpers the perturbation methods share. */
final class Channels {

    private Channels() {
    }

    /** @return how many batches of {@code batch} rows hold {@code rows} rows */
    static int batches(int rows, int batch) {
        return (rows + batch - 1) / batch;
    }

    /** @return the values of image {@code i} of an {@code [N, ...]} array holding {@code size} values per image */
    static float[] image(Tensor data, int i, int size) {
        float[] out = new float[size];
        data.copyTo(i * size, out, 0, size);
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

    /** @return {@code 0, 1, ..., c - 1} */
    static int[] all(int c) {
        int[] out = new int[c];
        for (int k = 0; k < c; k++) {
            out[k] = k;
        }
        return out;
    }
}
