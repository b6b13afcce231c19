package org.camkit.method.agnostic.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The coalitions KernelSHAP evaluates, with their Shapley kernel weights, and its constrained weighted least squares,
 * as shap's {@code KernelExplainer} (Lundberg and Lee, NeurIPS 2017) chooses and solves them.
 *
 * <p>The plan: subset sizes {@code s = 1 .. ceil((M - 1) / 2)}, each paired with its complement size
 * {@code M - s} (except the middle size of an even {@code M}), get the kernel's total weight
 * {@code (M - 1) / (s (M - s))}, twice for paired sizes, normalised. From the smallest size up, a size whose
 * subsets (and complements) the remaining budget covers at its share of the remaining weight is enumerated
 * completely, each subset weighted {@code w_s / C(M, s)} (halved between subset and complement); the first size that
 * does not fit ends the enumeration. The rest of the budget is drawn: a size from the remaining weights (halved for
 * paired sizes), a uniformly random subset of it and its complement; a subset drawn again adds 1 to its weight
 * instead of a new row; at most {@code 4 x} the remaining budget draws. The drawn rows' weights are scaled to sum to
 * the weight of the sizes not enumerated.
 *
 * <p>The solve: with {@code phi_0 = f(baseline)} and the efficiency constraint
 * {@code sum phi = f(x) - f(baseline)}, the last feature is eliminated,
 * {@code phi_M = f(x) - f(baseline) - sum_{j<M} phi_j}, and the other {@code M - 1} solve the weighted normal
 * equations of {@code (y - f(baseline)) - z_M (f(x) - f(baseline)) ~ (z_j - z_M) phi_j}. shap's default
 * {@code l1_reg='num_features(10)'} feature selection is not done: every segment gets its value (shap's
 * {@code l1_reg=False}).
 */
final class ShapleyKernel {

    /** The coalitions to evaluate and their kernel weights. */
    record Plan(boolean[][] masks, double[] weights, int enumerated) {
    }

    private ShapleyKernel() {
    }

    /** @return shap's default budget {@code 2 M + 2048}, capped at the {@code 2^M - 2} proper coalitions */
    static int defaultSamples(int m) {
        return cap(m, 2 * m + 2048);
    }

    /** @return {@code samples}, capped at the {@code 2^M - 2} non-trivial coalitions */
    static int cap(int m, int samples) {
        return m <= 30 ? (int) Math.min(samples, (1L << m) - 2) : samples;
    }

    /**
     * @param m       the number of features, at least 2
     * @param samples the budget of coalitions, already {@link #cap capped}
     * @param random  draws the coalitions beyond those enumerated
     * @return the plan; {@code enumerated} counts its leading, completely enumerated rows
     */
    static Plan plan(int m, int samples, Random random) {
        int sizes = (m - 1 + 1) / 2;
        int paired = (m - 1) / 2;
        double[] weight = new double[sizes];
        double sum = 0;
        for (int s = 1; s <= sizes; s++) {
            weight[s - 1] = (m - 1.0) / (s * (double) (m - s)) * (s <= paired ? 2 : 1);
            sum += weight[s - 1];
        }
        for (int s = 0; s < sizes; s++) {
            weight[s] /= sum;
        }
        List<boolean[]> masks = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        int full = 0;
        double left = samples;
        double[] remaining = weight.clone();
        for (int s = 1; s <= sizes; s++) {
            double subsets = binomial(m, s) * (s <= paired ? 2 : 1);
            if (left * remaining[s - 1] / subsets < 1.0 - 1e-8) {
                break;
            }
            full++;
            left -= subsets;
            if (remaining[s - 1] < 1.0) {
                double scale = 1 - remaining[s - 1];
                for (int t = 0; t < sizes; t++) {
                    remaining[t] /= scale;
                }
            }
            double w = weight[s - 1] / binomial(m, s) / (s <= paired ? 2 : 1);
            int[] chosen = new int[s];
            for (int i = 0; i < s; i++) {
                chosen[i] = i;
            }
            do {
                boolean[] mask = new boolean[m];
                for (int i : chosen) {
                    mask[i] = true;
                }
                masks.add(mask);
                weights.add(w);
                if (s <= paired) {
                    masks.add(complement(mask));
                    weights.add(w);
                }
            } while (nextCombination(chosen, m));
        }
        int fixed = masks.size();
        int samplesLeft = samples - fixed;
        if (full != sizes && samplesLeft > 0) {
            double[] draw = new double[sizes - full];
            double total = 0;
            for (int s = full + 1; s <= sizes; s++) {
                draw[s - full - 1] = weight[s - 1] / (s <= paired ? 2 : 1);
                total += draw[s - full - 1];
            }
            double[] cumulative = new double[draw.length];
            double running = 0;
            for (int i = 0; i < draw.length; i++) {
                running += draw[i] / total;
                cumulative[i] = running;
            }
            Map<BitSet, Integer> used = new HashMap<>();
            int[] order = new int[m];
            int draws = 4 * samplesLeft;
            for (int d = 0; d < draws && samplesLeft > 0; d++) {
                int s = full + 1 + pick(cumulative, random.nextDouble());
                for (int i = 0; i < m; i++) {
                    order[i] = i;
                }
                BitSet key = new BitSet(m);
                boolean[] mask = new boolean[m];
                for (int i = 0; i < s; i++) {
                    int j = i + random.nextInt(m - i);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                    mask[order[i]] = true;
                    key.set(order[i]);
                }
                Integer seen = used.get(key);
                if (seen == null) {
                    used.put(key, masks.size());
                    masks.add(mask);
                    weights.add(1.0);
                    samplesLeft--;
                } else {
                    weights.set(seen, weights.get(seen) + 1);
                }
                if (samplesLeft > 0 && s <= paired) {
                    if (seen == null) {
                        masks.add(complement(mask));
                        weights.add(1.0);
                        samplesLeft--;
                    } else {
                        weights.set(seen + 1, weights.get(seen + 1) + 1);
                    }
                }
            }
            double weightLeft = 0;
            for (int s = full; s < sizes; s++) {
                weightLeft += weight[s];
            }
            double drawn = 0;
            for (int i = fixed; i < weights.size(); i++) {
                drawn += weights.get(i);
            }
            for (int i = fixed; i < weights.size(); i++) {
                weights.set(i, weights.get(i) * weightLeft / drawn);
            }
        }
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.get(i);
        }
        return new Plan(masks.toArray(new boolean[0][]), w, fixed);
    }

    /**
     * @param masks  the coalitions {@code [S][M]}
     * @param weights their kernel weights
     * @param scores the model's score of each coalition
     * @param fx     the score of the image, all segments present
     * @param base   the score of the baseline, all segments absent: {@code phi_0}
     * @return {@code phi}, summing to {@code fx - base}
     * @throws ArithmeticException if the coalitions do not determine the values (too few samples)
     */
    static double[] solve(boolean[][] masks, double[] weights, double[] scores, double fx, double base) {
        int m = masks[0].length;
        double gap = fx - base;
        if (m == 1) {
            return new double[] {gap};
        }
        int last = m - 1;
        double[][] gram = new double[last][last];
        double[] rhs = new double[last];
        double[] row = new double[last];
        for (int i = 0; i < masks.length; i++) {
            boolean[] z = masks[i];
            double zl = z[last] ? 1 : 0;
            double y = scores[i] - base - zl * gap;
            for (int j = 0; j < last; j++) {
                row[j] = (z[j] ? 1 : 0) - zl;
            }
            double w = weights[i];
            for (int j = 0; j < last; j++) {
                double wj = w * row[j];
                if (wj == 0) {
                    continue;
                }
                rhs[j] += wj * y;
                for (int k = 0; k <= j; k++) {
                    gram[j][k] += wj * row[k];
                }
            }
        }
        double[] w = Cholesky.solve(gram, rhs);
        double[] phi = new double[m];
        double sum = 0;
        for (int j = 0; j < last; j++) {
            phi[j] = w[j];
            sum += w[j];
        }
        phi[last] = gap - sum;
        return phi;
    }

    private static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    private static boolean[] complement(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !mask[i];
        }
        return out;
    }

    /** Advances {@code c} to the next {@code k}-combination of {@code 0..n-1} in lexicographic order. */
    private static boolean nextCombination(int[] c, int n) {
        int k = c.length;
        int i = k - 1;
        while (i >= 0 && c[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        c[i]++;
        for (int j = i + 1; j < k; j++) {
            c[j] = c[j - 1] + 1;
        }
        return true;
    }

    private static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
