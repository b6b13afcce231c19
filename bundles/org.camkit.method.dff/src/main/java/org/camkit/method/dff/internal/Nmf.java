package org.camkit.method.dff.internal;

import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Non-negative matrix factorisation {@code X ~ W H} ({@code X [rows, cols] >= 0}, {@code W [rows, m]},
 * {@code H [m, cols]}) by Lee and Seung's multiplicative updates for the Frobenius norm. Initialised as
 * scikit-learn's {@code init='random'} ({@code sqrt(mean(X) / m) * |N(0, 1)|}) from a seeded
 * {@link java.util.Random}, so it is deterministic but not scikit-learn's random stream; and it is not
 * scikit-learn's default coordinate-descent solver, so factors differ from pytorch-grad-cam's DFF in detail (NMF
 * is not unique). Stops as scikit-learn's {@code mu} solver: every 10 iterations, when the error decreased by less
 * than {@code tolerance} times the initial error.
 */
final class Nmf {

    /** scikit-learn's {@code EPSILON} (float32 machine epsilon) replacing zero denominators. */
    static final double EPS = Math.ulp(1f);
    static final int CHECK_EVERY = 10;

    /**
     * @param w          {@code [rows * m]}, row-major
     * @param h          {@code [m * cols]}, row-major
     * @param iterations the iterations run
     * @param error      the final Frobenius error {@code ||X - W H||}
     */
    record Factors(double[] w, double[] h, int iterations, double error) {
    }

    private Nmf() {
    }

    /**
     * @param x        {@code [rows * cols]}, non-negative, row-major
     * @param progress called with the iterations done, every {@link #CHECK_EVERY} iterations (may throw to cancel)
     */
    static Factors factorise(double[] x, int rows, int cols, int m, int maxIterations, double tolerance, long seed,
            IntConsumer progress) {
        double mean = 0;
        double xx = 0;
        for (double v : x) {
            mean += v;
            xx += v * v;
        }
        mean /= x.length;
        double scale = Math.sqrt(mean / m);
        Random random = new Random(seed);
        double[] h = new double[m * cols];
        for (int i = 0; i < h.length; i++) {
            h[i] = scale * Math.abs(random.nextGaussian());
        }
        double[] w = new double[rows * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * Math.abs(random.nextGaussian());
        }
        double initial = error(x, w, h, rows, cols, m, xx);
        double previous = initial;
        double error = initial;
        int it = 0;
        while (it < maxIterations) {
            updateW(x, w, h, rows, cols, m);
            updateH(x, w, h, rows, cols, m);
            it++;
            if (it % CHECK_EVERY == 0) {
                progress.accept(it);
                error = error(x, w, h, rows, cols, m, xx);
                if ((previous - error) / initial < tolerance) {
                    break;
                }
                previous = error;
            }
        }
        if (it % CHECK_EVERY != 0) {
            error = error(x, w, h, rows, cols, m, xx);
        }
        return new Factors(w, h, it, error);
    }

    /** {@code W <- W * (X H^T) / (W (H H^T))}. */
    private static void updateW(double[] x, double[] w, double[] h, int rows, int cols, int m) {
        double[] xht = multiplyTransposed(x, h, rows, cols, m);
        double[] hht = multiplyTransposed(h, h, m, cols, m);
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < m; a++) {
                double d = 0;
                for (int b = 0; b < m; b++) {
                    d += w[r * m + b] * hht[b * m + a];
                }
                w[r * m + a] *= xht[r * m + a] / (d == 0 ? EPS : d);
            }
        }
    }

    /** {@code H <- H * (W^T X) / ((W^T W) H)}. */
    private static void updateH(double[] x, double[] w, double[] h, int rows, int cols, int m) {
        double[] wtx = new double[m * cols];
        double[] wtw = new double[m * m];
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < m; a++) {
                double wa = w[r * m + a];
                if (wa != 0) {
                    for (int j = 0; j < cols; j++) {
                        wtx[a * cols + j] += wa * x[r * cols + j];
                    }
                }
                for (int b = 0; b < m; b++) {
                    wtw[a * m + b] += wa * w[r * m + b];
                }
            }
        }
        for (int a = 0; a < m; a++) {
            for (int j = 0; j < cols; j++) {
                double d = 0;
                for (int b = 0; b < m; b++) {
                    d += wtw[a * m + b] * h[b * cols + j];
                }
                h[a * cols + j] *= wtx[a * cols + j] / (d == 0 ? EPS : d);
            }
        }
    }

    /** @return {@code A B^T} for {@code A [n, k]}, {@code B [p, k]}: {@code [n, p]} */
    private static double[] multiplyTransposed(double[] a, double[] b, int n, int k, int p) {
        double[] out = new double[n * p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) {
                    sum += a[i * k + t] * b[j * k + t];
                }
                out[i * p + j] = sum;
            }
        }
        return out;
    }

    /** {@code ||X - W H||} from {@code ||X||^2 - 2 tr(W^T X H^T) + tr(W^T W H H^T)}, clamped at 0. */
    private static double error(double[] x, double[] w, double[] h, int rows, int cols, int m, double xx) {
        double[] xht = multiplyTransposed(x, h, rows, cols, m);
        double[] hht = multiplyTransposed(h, h, m, cols, m);
        double cross = 0;
        double[] wtw = new double[m * m];
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < m; a++) {
                cross += w[r * m + a] * xht[r * m + a];
                for (int b = 0; b < m; b++) {
                    wtw[a * m + b] += w[r * m + a] * w[r * m + b];
                }
            }
        }
        double quad = 0;
        for (int i = 0; i < m * m; i++) {
            quad += wtw[i] * hht[i];
        }
        return Math.sqrt(Math.max(0, xx - 2 * cross + quad));
    }
}
