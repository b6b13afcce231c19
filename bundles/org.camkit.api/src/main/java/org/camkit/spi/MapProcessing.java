package org.camkit.spi;

/**
 * Map post-processing with pytorch-grad-cam's conventions: min-max normalisation, bilinear resize and the projection
 * of channels on their first principal component. Core applies them to every method's result; a method that
 * post-processes maps of its own (FullGrad's per-layer scaling, AblationCAM's channel ranking) calls the same
 * functions. Pure functions.
 *
 * @since 1.0
 */
public final class MapProcessing {

    private MapProcessing() {
    }

    /** pytorch-grad-cam's {@code scale_cam_image} epsilon. */
    public static final float EPS = 1e-7f;

    /**
     * In place: {@code (x - min) / (max - min + 1e-7)}, as pytorch-grad-cam's {@code scale_cam_image}.
     *
     * @param map values
     * @return {@code map}
     */
    public static float[] normalize(float[] map) {
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
     * Bilinear resize of a single-channel map with OpenCV's {@code INTER_LINEAR} convention (pytorch-grad-cam's
     * {@code cv2.resize}): pixel centres at {@code +0.5}, source coordinates clamped to the border.
     *
     * @param src  {@code srcH * srcW} values, row-major
     * @param srcW source width
     * @param srcH source height
     * @param dstW destination width
     * @param dstH destination height
     * @return {@code dstH * dstW} values
     */
    public static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH) {
        if (srcW == dstW && srcH == dstH) {
            return src.clone();
        }
        int[] x0 = new int[dstW];
        int[] x1 = new int[dstW];
        float[] fx = new float[dstW];
        axis(srcW, dstW, x0, x1, fx);
        int[] y0 = new int[dstH];
        int[] y1 = new int[dstH];
        float[] fy = new float[dstH];
        axis(srcH, dstH, y0, y1, fy);
        float[] dst = new float[dstW * dstH];
        if (dstH > srcH) {
            // enlarging (a map to the input size): each source row is interpolated along x once, then rows are
            // blended; the same arithmetic per value as below, so the same result
            float[][] rows = new float[srcH][];
            for (int y = 0; y < dstH; y++) {
                float[] top = row(rows, src, y0[y], srcW, x0, x1, fx);
                float[] bottom = row(rows, src, y1[y], srcW, x0, x1, fx);
                float wy = fy[y];
                for (int x = 0, o = y * dstW; x < dstW; x++) {
                    dst[o + x] = top[x] * (1 - wy) + bottom[x] * wy;
                }
            }
            return dst;
        }
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

    /** Source row {@code r} interpolated along x, computed on first use. */
    private static float[] row(float[][] rows, float[] src, int r, int srcW, int[] x0, int[] x1, float[] fx) {
        if (rows[r] == null) {
            float[] row = new float[fx.length];
            int base = r * srcW;
            for (int x = 0; x < row.length; x++) {
                float wx = fx[x];
                row[x] = src[base + x0[x]] * (1 - wx) + src[base + x1[x]] * wx;
            }
            rows[r] = row;
        }
        return rows[r];
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
     * pytorch-grad-cam's {@code get_2d_projection} for one image: the {@code area x C} matrix of the channels
     * (NaN as 0), columns centred, projected on its first right singular vector.
     *
     * <p>The sign of a singular vector is arbitrary; camkit fixes it so that the projection correlates
     * positively with the plain channel sum (the map without eigen-smooth), and, when that correlation is 0, so
     * that its largest-magnitude value is positive.
     *
     * @param data     a tensor holding the image's channels {@code [C, area]} from {@code offset}
     * @param offset   where the image starts in {@code data}
     * @param channels the number of channels C
     * @param area     positions per channel ({@code h * w})
     * @return {@code area} values
     */
    public static float[] project(Tensor data, int offset, int channels, int area) {
        double[][] x = new double[area][channels];
        double[] plain = new double[area];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < area; p++) {
                float v = data.get(offset + k * area + p);
                double value = Float.isNaN(v) ? 0 : v;
                x[p][k] = value;
                plain[p] += value;
                mean += value;
            }
            mean /= area;
            for (int p = 0; p < area; p++) {
                x[p][k] -= mean;
            }
        }
        double[] projection = new double[area];
        if (channels <= area) {
            double[] v = topEigenvector(gram(x, channels, area, true));
            for (int p = 0; p < area; p++) {
                for (int k = 0; k < channels; k++) {
                    projection[p] += x[p][k] * v[k];
                }
            }
        } else {
            // X v = sigma u, with u the top eigenvector of X X^T and sigma^2 its eigenvalue
            double[][] g = gram(x, channels, area, false);
            double[] u = topEigenvector(g);
            double lambda = rayleigh(g, u);
            double sigma = Math.sqrt(Math.max(lambda, 0));
            for (int p = 0; p < area; p++) {
                projection[p] = sigma * u[p];
            }
        }
        double correlation = 0;
        int largest = 0;
        for (int p = 0; p < area; p++) {
            correlation += projection[p] * plain[p];
            if (Math.abs(projection[p]) > Math.abs(projection[largest])) {
                largest = p;
            }
        }
        double sign = correlation != 0 ? Math.signum(correlation) : (projection[largest] < 0 ? -1 : 1);
        float[] out = new float[area];
        for (int p = 0; p < area; p++) {
            out[p] = (float) (sign * projection[p]);
        }
        return out;
    }

    /** {@code X^T X} ({@code channels} square) when {@code columns}, else {@code X X^T} ({@code area} square). */
    private static double[][] gram(double[][] x, int channels, int area, boolean columns) {
        int d = columns ? channels : area;
        double[][] g = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double sum = 0;
                if (columns) {
                    for (int p = 0; p < area; p++) {
                        sum += x[p][i] * x[p][j];
                    }
                } else {
                    for (int k = 0; k < channels; k++) {
                        sum += x[i][k] * x[j][k];
                    }
                }
                g[i][j] = sum;
                g[j][i] = sum;
            }
        }
        return g;
    }

    /** The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix. */
    private static double[] topEigenvector(double[][] g) {
        int d = g.length;
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = 1 + 0.01 * Math.sin(i + 1); // deterministic, not orthogonal to a positive eigenvector
        }
        normalise(v);
        double[] next = new double[d];
        for (int iteration = 0; iteration < 10_000; iteration++) {
            for (int i = 0; i < d; i++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += g[i][j] * v[j];
                }
                next[i] = sum;
            }
            if (normalise(next) == 0) {
                return v; // a zero matrix: every vector is an eigenvector
            }
            double change = 0;
            for (int i = 0; i < d; i++) {
                change = Math.max(change, Math.abs(next[i] - v[i]));
            }
            System.arraycopy(next, 0, v, 0, d);
            if (change < 1e-12) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[][] g, double[] v) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                sum += v[i] * g[i][j] * v[j];
            }
        }
        return sum;
    }

    private static double normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }

    /**
     * @param a values
     * @param b as many values
     * @return Pearson's correlation coefficient of {@code a} and {@code b} (e.g. a fast approximation's map and
     *         the exact one); NaN when either is constant
     * @throws IllegalArgumentException if the sizes differ or are 0
     * @since 1.3
     */
    public static double pearson(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("Pearson's r needs two samples of the same positive size, got "
                    + a.length + " and " + b.length);
        }
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.length; i++) {
            meanA += a[i];
            meanB += b[i];
        }
        meanA /= a.length;
        meanB /= b.length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - meanA) * (b[i] - meanB);
            aa += (a[i] - meanA) * (a[i] - meanA);
            bb += (b[i] - meanB) * (b[i] - meanB);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
