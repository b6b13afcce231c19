package org.camkit.metric.faithfulness.internal;

import java.util.Arrays;

/** Conjugate gradients preconditioned by {@link Multigrid}, on all channels of a {@link ImputationLevel} at once. */
final class ConjugateGradient {
    /**
     * A safety stop far above the 5-25 iterations measured at 224x224 (one known pixel, known border only,
     * checkerboard, random and smooth 80-99% masks); reaching it means the system is not positive definite.
     */
    private static final int MAX_ITERATIONS = 1000;

    private ConjugateGradient() {
    }

    /** Solves {@code A x = b} on the level; returns the interleaved solution {@code x[i * channels + c]}. */
    static double[] solve(ImputationLevel system, double[] b) {
        int channels = system.channels;
        int length = (system.size + 1) * channels;
        Multigrid preconditioner = new Multigrid(system);
        double[] x = new double[length];
        double[] r = b.clone();
        double[] z = new double[length];
        double[] p = new double[length];
        double[] q = new double[length];
        double[] rz = new double[channels];
        double[] limit = new double[channels];
        double[] rr = new double[channels];
        double[] pq = new double[channels];
        double[] step = new double[channels];
        double[] nextRz = new double[channels];
        boolean[] active = new boolean[channels];
        preconditioner.apply(r, z);
        int running = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < system.size; i++) {
                rz[c] += r[i * channels + c] * z[i * channels + c];
                limit[c] += r[i * channels + c] * r[i * channels + c];
            }
            limit[c] *= NoisyLinearImputer.TOLERANCE * NoisyLinearImputer.TOLERANCE;
            active[c] = limit[c] > 0;
            running += active[c] ? 1 : 0;
        }
        System.arraycopy(z, 0, p, 0, length);
        for (int iteration = 0; running > 0; iteration++) {
            if (iteration == MAX_ITERATIONS) {
                throw new IllegalStateException("ROAD imputation: conjugate gradients did not reach relative "
                        + "residual " + NoisyLinearImputer.TOLERANCE + " in " + MAX_ITERATIONS + " iterations for " + system.size
                        + " unknowns");
            }
            system.multiply(p, q, pq);
            for (int c = 0; c < channels; c++) {
                step[c] = active[c] ? rz[c] / pq[c] : 0;
            }
            Arrays.fill(rr, 0);
            for (int at = 0; at < system.size * channels; at += channels) {
                for (int c = 0; c < channels; c++) {
                    x[at + c] += step[c] * p[at + c];
                    r[at + c] -= step[c] * q[at + c];
                    rr[c] += r[at + c] * r[at + c];
                }
            }
            preconditioner.apply(r, z);
            Arrays.fill(nextRz, 0);
            for (int at = 0; at < system.size * channels; at += channels) {
                for (int c = 0; c < channels; c++) {
                    nextRz[c] += r[at + c] * z[at + c];
                }
            }
            for (int c = 0; c < channels; c++) {
                if (active[c] && rr[c] <= limit[c]) {
                    active[c] = false;
                    running--;
                }
                step[c] = active[c] ? nextRz[c] / rz[c] : 0;
                rz[c] = nextRz[c];
            }
            for (int at = 0; at < system.size * channels; at += channels) {
                for (int c = 0; c < channels; c++) {
                    p[at + c] = active[c] ? z[at + c] + step[c] * p[at + c] : 0;
                }
            }
        }
        return x;
    }
}
