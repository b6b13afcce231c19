package org.camkit.method.perturbation.internal;

/**
 * pytorch-grad-cam's {@code get_2d_projection} for one image: the activations as a {@code [h*w, C]} matrix, each
 * channel centred over positions, projected on their first right singular vector. Computed from the smaller Gram
 * matrix by power iteration, with a deterministic sign (the largest-magnitude value is positive).
 */
final class Projection {

    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-12;

    private Projection() {
    }

    /**
     * @param image {@code [C, area]} activations; NaN counts as 0
     * @return the projection, {@code area} values
     */
    static float[] firstComponent(float[] image, int c, int area) {
        double[][] x = new double[area][c];
        for (int k = 0; k < c; k++) {
            double mean = 0;
            for (int p = 0; p < area; p++) {
                float v = image[k * area + p];
                x[p][k] = Float.isNaN(v) ? 0 : v;
                mean += x[p][k];
            }
            mean /= area;
            for (int p = 0; p < area; p++) {
                x[p][k] -= mean;
            }
        }
        double[] projection = new double[area];
        if (area <= c) {
            // X X^T = U S^2 U^T and X v1 = s1 u1
            double[][] g = gram(x, area, c, true);
            double[] u = topEigenvector(g);
            double s = Math.sqrt(Math.max(0, rayleigh(g, u)));
            for (int p = 0; p < area; p++) {
                projection[p] = s * u[p];
            }
        } else {
            double[] v = topEigenvector(gram(x, area, c, false));
            for (int p = 0; p < area; p++) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    sum += x[p][k] * v[k];
                }
                projection[p] = sum;
            }
        }
        int largest = 0;
        for (int p = 1; p < area; p++) {
            if (Math.abs(projection[p]) > Math.abs(projection[largest])) {
                largest = p;
            }
        }
        float sign = projection[largest] < 0 ? -1f : 1f;
        float[] out = new float[area];
        for (int p = 0; p < area; p++) {
            out[p] = sign * (float) projection[p];
        }
        return out;
    }

    /** @return {@code X X^T} ({@code rows} square) or {@code X^T X} ({@code cols} square) */
    private static double[][] gram(double[][] x, int rows, int cols, boolean outer) {
        int m = outer ? rows : cols;
        double[][] g = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                double sum = 0;
                if (outer) {
                    for (int k = 0; k < cols; k++) {
                        sum += x[i][k] * x[j][k];
                    }
                } else {
                    for (int p = 0; p < rows; p++) {
                        sum += x[p][i] * x[p][j];
                    }
                }
                g[i][j] = sum;
                g[j][i] = sum;
            }
        }
        return g;
    }

    /** Power iteration from the column of largest diagonal; a zero matrix gives a zero vector. */
    private static double[] topEigenvector(double[][] g) {
        int m = g.length;
        int start = 0;
        for (int i = 1; i < m; i++) {
            if (g[i][i] > g[start][start]) {
                start = i;
            }
        }
        double[] v = g[start].clone();
        if (normalise(v) == 0) {
            return new double[m];
        }
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] next = new double[m];
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += g[i][j] * v[j];
                }
                next[i] = sum;
            }
            if (normalise(next) == 0) {
                return new double[m];
            }
            double change = 0;
            for (int i = 0; i < m; i++) {
                change += (next[i] - v[i]) * (next[i] - v[i]);
            }
            v = next;
            if (change < TOLERANCE) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[][] g, double[] v) {
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                sum += v[i] * g[i][j] * v[j];
            }
        }
        return sum;
    }

    private static double normalise(double[] v) {
        double norm = 0;
        for (double d : v) {
            norm += d * d;
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
