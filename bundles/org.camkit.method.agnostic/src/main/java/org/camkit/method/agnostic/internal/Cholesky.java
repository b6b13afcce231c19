package org.camkit.method.agnostic.internal;

/** Solves symmetric positive definite systems {@code A x = b} by Cholesky factorisation, in double precision. */
final class Cholesky {

    private Cholesky() {
    }

    /**
     * @param a a symmetric matrix {@code [n][n]} (only its lower triangle is read; not modified)
     * @param b the right-hand side {@code [n]}
     * @return {@code x}
     * @throws ArithmeticException if {@code a} is not (numerically) positive definite
     */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 1e-12 * Math.max(1, Math.abs(a[i][i])))) {
                        throw new ArithmeticException("the normal equations are singular at row " + i);
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        return x;
    }
}
