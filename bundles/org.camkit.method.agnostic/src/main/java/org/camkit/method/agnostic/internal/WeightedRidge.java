package org.camkit.method.agnostic.internal;

/**
 * Ridge regression with sample weights and an unpenalised intercept, as scikit-learn's
 * {@code Ridge(alpha, fit_intercept=True).fit(X, y, sample_weight=w)} computes it: {@code X} and {@code y} are
 * centred on their weighted means, {@code beta = (Xc' W Xc + alpha I)^-1 Xc' W yc}, and
 * {@code intercept = mean_w(y) - mean_w(X) . beta}; {@code score} is the weighted R^2 of
 * {@code Ridge.score(X, y, sample_weight=w)} (1 when y is constant and fitted exactly, 0 when constant and not).
 *
 * @param coefficients {@code beta}, one per feature
 * @param intercept    the intercept
 * @param score        the weighted coefficient of determination
 */
record WeightedRidge(double[] coefficients, double intercept, double score) {

    /**
     * @param x       the design {@code [S][M]} (0/1 coalitions, for LIME)
     * @param y       the targets {@code [S]}
     * @param weights the sample weights {@code [S]}, non-negative, not all 0
     * @param alpha   the penalty, positive
     * @return the fit
     */
    static WeightedRidge fit(boolean[][] x, double[] y, double[] weights, double alpha) {
        int s = y.length;
        int m = x[0].length;
        double total = 0;
        double yMean = 0;
        double[] xMean = new double[m];
        for (int i = 0; i < s; i++) {
            total += weights[i];
            yMean += weights[i] * y[i];
            for (int j = 0; j < m; j++) {
                xMean[j] += x[i][j] ? weights[i] : 0;
            }
        }
        yMean /= total;
        for (int j = 0; j < m; j++) {
            xMean[j] /= total;
        }
        double[][] gram = new double[m][m];
        double[] rhs = new double[m];
        double[] centred = new double[m];
        for (int i = 0; i < s; i++) {
            double w = weights[i];
            if (w == 0) {
                continue;
            }
            for (int j = 0; j < m; j++) {
                centred[j] = (x[i][j] ? 1 : 0) - xMean[j];
            }
            double yc = y[i] - yMean;
            for (int j = 0; j < m; j++) {
                double wj = w * centred[j];
                rhs[j] += wj * yc;
                for (int k = 0; k <= j; k++) {
                    gram[j][k] += wj * centred[k];
                }
            }
        }
        for (int j = 0; j < m; j++) {
            gram[j][j] += alpha;
        }
        double[] beta = Cholesky.solve(gram, rhs);
        double intercept = yMean;
        for (int j = 0; j < m; j++) {
            intercept -= xMean[j] * beta[j];
        }
        double residual = 0;
        double spread = 0;
        for (int i = 0; i < s; i++) {
            double predicted = intercept;
            for (int j = 0; j < m; j++) {
                predicted += x[i][j] ? beta[j] : 0;
            }
            residual += weights[i] * (y[i] - predicted) * (y[i] - predicted);
            spread += weights[i] * (y[i] - yMean) * (y[i] - yMean);
        }
        double score = spread != 0 ? 1 - residual / spread : residual == 0 ? 1 : 0;
        return new WeightedRidge(beta, intercept, score);
    }
}
