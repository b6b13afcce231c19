package org.camkit.core.internal;

import java.util.List;

/** The map post-processing every method shares: ReLU, min-max normalisation, bilinear resize, layer mean. */
final class CamOps {

    /** pytorch-grad-cam's {@code scale_cam_image} epsilon. */
    static final float EPS = 1e-7f;

    private CamOps() {
    }

    /** Clamps negative values to 0 in place and returns the array. */
    static float[] relu(float[] map) {
        for (int i = 0; i < map.length; i++) {
            if (!(map[i] > 0)) {
                map[i] = 0;
            }
        }
        return map;
    }

    /** In place: {@code (x - min) / (max - min + 1e-7)}, as pytorch-grad-cam's {@code scale_cam_image}. */
    static float[] normalize(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float scale = 1f / (max - min + EPS);
        for (int i = 0; i < map.length; i++) {
            map[i] = (map[i] - min) * scale;
        }
        return map;
    }

    /**
     * Bilinear resize of a single-channel map with OpenCV's {@code INTER_LINEAR} convention: pixel centres at
     * {@code +0.5}, source coordinates clamped to the border.
     */
    static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH) {
        int[] x0 = new int[dstW];
        int[] x1 = new int[dstW];
        float[] fx = new float[dstW];
        axis(srcW, dstW, x0, x1, fx);
        int[] y0 = new int[dstH];
        int[] y1 = new int[dstH];
        float[] fy = new float[dstH];
        axis(srcH, dstH, y0, y1, fy);
        float[] dst = new float[dstW * dstH];
        for (int y = 0; y < dstH; y++) {
            int r0 = y0[y] * srcW;
            int r1 = y1[y] * srcW;
            float wy = fy[y];
            for (int x = 0; x < dstW; x++) {
                float wx = fx[x];
                float top = src[r0 + x0[x]] * (1 - wx) + src[r0 + x1[x]] * wx;
                float bottom = src[r1 + x0[x]] * (1 - wx) + src[r1 + x1[x]] * wx;
                dst[y * dstW + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return dst;
    }

    /** Per destination index along one axis: the two source indices and the weight of the second. */
    private static void axis(int srcSize, int dstSize, int[] i0, int[] i1, float[] frac) {
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            double s = (d + 0.5) * scale - 0.5;
            int lo = (int) Math.floor(s);
            float f = (float) (s - lo);
            if (lo < 0) {
                lo = 0;
                f = 0;
            }
            if (lo >= srcSize - 1) {
                lo = srcSize - 1;
                f = 0;
            }
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, srcSize - 1);
            frac[d] = f;
        }
    }

    /**
     * One layer's raw map to input size: ReLU, normalise, resize (pytorch-grad-cam's
     * {@code compute_cam_per_layer}).
     */
    static float[] perLayer(float[] raw, int w, int h, int dstW, int dstH) {
        return resize(normalize(relu(raw.clone())), w, h, dstW, dstH);
    }

    /** Several layers' maps at input size: clamp at 0, mean, normalise ({@code aggregate_multi_layers}). */
    static float[] aggregate(List<float[]> layers) {
        int size = layers.get(0).length;
        float[] mean = new float[size];
        for (float[] layer : layers) {
            for (int i = 0; i < size; i++) {
                mean[i] += Math.max(layer[i], 0f);
            }
        }
        for (int i = 0; i < size; i++) {
            mean[i] /= layers.size();
        }
        return normalize(mean);
    }
}
