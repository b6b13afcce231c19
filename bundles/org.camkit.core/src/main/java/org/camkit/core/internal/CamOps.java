package org.camkit.core.internal;

import java.util.List;
import org.camkit.spi.Cams;

/**
 * The map post-processing every method shares: ReLU, min-max normalisation, bilinear resize, layer mean, and the
 * first-principal-component projection of eigen-smooth and EigenCAM.
 */
final class CamOps {

    private CamOps() {
    }

    /** Clamps negative values (and NaN) to 0 in place and returns the array. */
    static float[] relu(float[] map) {
        for (int i = 0; i < map.length; i++) {
            if (!(map[i] > 0)) {
                map[i] = 0;
            }
        }
        return map;
    }

    /**
     * One layer's raw map to input size: ReLU, normalise, resize (pytorch-grad-cam's
     * {@code compute_cam_per_layer}).
     */
    static float[] perLayer(float[] raw, int w, int h, int dstW, int dstH) {
        return Cams.resize(Cams.normalize(relu(raw.clone())), w, h, dstW, dstH);
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
        return Cams.normalize(mean);
    }

    /** The channel sum of one image's {@code [C, area]} contributions starting at {@code offset}. */
    static float[] channelSum(float[] data, int offset, int channels, int area) {
        float[] out = new float[area];
        for (int k = 0; k < channels; k++) {
            int base = offset + k * area;
            for (int p = 0; p < area; p++) {
                out[p] += data[base + p];
            }
        }
        return out;
    }

    /**
     * pytorch-grad-cam's {@code get_2d_projection} for one image: the {@code area x C} matrix of the channels
     * (NaN as 0), columns centred, projected on its first right singular vector.
     *
     * <p>The sign of a singular vector is arbitrary; camkit fixes it so that the projection correlates
     * positively with the plain channel sum (the map without eigen-smooth), and, when that correlation is 0, so
     * that its largest-magnitude value is positive.
     *
     * @return {@code area} values
     */
    static float[] project(float[] data, int offset, int channels, int area) {
        double[][] x = new double[area][channels];
        double[] plain = new double[area];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < area; p++) {
                float v = data[offset + k * area + p];
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
}
