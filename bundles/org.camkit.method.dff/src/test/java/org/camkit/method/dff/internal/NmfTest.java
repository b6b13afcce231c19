package org.camkit.method.dff.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NmfTest {

    private static final int ROWS = 6, COLS = 20;

    /** X = W0 H0 with non-negative W0 [6, 2] and H0 [2, 20], some entries exactly 0. */
    private static double[] planted() {
        Random random = new Random(42);
        double[] w0 = new double[ROWS * 2];
        double[] h0 = new double[2 * COLS];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = random.nextDouble() < 0.2 ? 0 : random.nextDouble() * 3;
        }
        for (int i = 0; i < h0.length; i++) {
            h0[i] = random.nextDouble() < 0.2 ? 0 : random.nextDouble() * 2;
        }
        double[] x = new double[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < COLS; j++) {
                x[r * COLS + j] = w0[r * 2] * h0[j] + w0[r * 2 + 1] * h0[COLS + j];
            }
        }
        return x;
    }

    private static double relativeError(double[] x, Nmf.Factors f, int m) {
        double diff = 0, norm = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < COLS; j++) {
                double wh = 0;
                for (int a = 0; a < m; a++) {
                    wh += f.w()[r * m + a] * f.h()[a * COLS + j];
                }
                double x0 = x[r * COLS + j];
                diff += (x0 - wh) * (x0 - wh);
                norm += x0 * x0;
            }
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void reconstructsAPlantedNonNegativeRankTwoFactorisation() {
        double[] x = planted();
        Nmf.Factors f = Nmf.factorise(x, ROWS, COLS, 2, 5000, 0, 0, done -> { });
        for (double v : f.w()) {
            assertTrue(v >= 0);
        }
        for (double v : f.h()) {
            assertTrue(v >= 0);
        }
        double error = relativeError(x, f, 2);
        assertTrue(error < 1e-3, "relative error " + error);
        // one component cannot reconstruct a rank-2 matrix
        assertTrue(relativeError(x, Nmf.factorise(x, ROWS, COLS, 1, 5000, 0, 0, done -> { }), 1) > 1e-2);
    }

    @Test
    void isDeterministicAcrossRuns() {
        double[] x = planted();
        Nmf.Factors a = Nmf.factorise(x, ROWS, COLS, 3, 300, 1e-4, 0, done -> { });
        Nmf.Factors b = Nmf.factorise(x, ROWS, COLS, 3, 300, 1e-4, 0, done -> { });
        assertArrayEquals(a.w(), b.w());
        assertArrayEquals(a.h(), b.h());
    }

    @Test
    void stopsAtTheToleranceAndReportsProgressEveryTenIterations() {
        double[] x = planted();
        List<Integer> progress = new ArrayList<>();
        Nmf.Factors loose = Nmf.factorise(x, ROWS, COLS, 2, 5000, 1e-2, 0, progress::add);
        assertTrue(loose.iterations() < 5000, "iterations " + loose.iterations());
        assertEquals(loose.iterations() / 10, progress.size());
        assertEquals(10, progress.get(0));
        assertThrows(IllegalStateException.class, () -> Nmf.factorise(x, ROWS, COLS, 2, 5000, 0, 0, done -> {
            throw new IllegalStateException("cancelled");
        }));
    }
}
