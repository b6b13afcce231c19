package org.camkit.method.agnostic.internal;

import static org.camkit.method.agnostic.internal.LimeReferenceTest.doubles;
import static org.camkit.method.agnostic.internal.LimeReferenceTest.masks;
import static org.camkit.method.agnostic.internal.LimeReferenceTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * KernelSHAP against shap's {@code KernelExplainer} (l1_reg=False) on the cases written by
 * {@code tools/camkit-export/agnostic_references.py}: a nonlinear model of 9 features, where the default budget
 * enumerates every coalition (exact Shapley values), and one of 12 features with 300 samples, where shap enumerates
 * size 1 (and its complements) and draws the rest.
 */
class KernelShapReferenceTest {

    /** {@code f(z) = c . z + z' D z + e z_0 z_1 z_2}, the script's model. */
    private static double f(double[] params, int m, boolean[] z) {
        double y = 0;
        for (int j = 0; j < m; j++) {
            if (z[j]) {
                y += params[j];
                for (int k = 0; k < m; k++) {
                    y += z[k] ? params[m + j * m + k] : 0;
                }
            }
        }
        return (float) (y + (z[0] && z[1] && z[2] ? params[m + m * m] : 0));
    }

    @Test
    void withEveryCoalitionEnumeratedPhiEqualsShapsExactValues() {
        int m = 9;
        double[] params = doubles(read("shap_exact_model"));
        double[] expected = doubles(read("shap_exact_phi"));
        ShapleyKernel.Plan plan = ShapleyKernel.plan(m, ShapleyKernel.defaultSamples(m), new Random(0));
        assertEquals(510, plan.masks().length, "2^9 - 2 coalitions");
        assertEquals(510, plan.enumerated());
        double[] scores = Arrays.stream(plan.masks()).mapToDouble(z -> f(params, m, z)).toArray();
        boolean[] all = new boolean[m];
        Arrays.fill(all, true);
        double fx = f(params, m, all);
        double base = f(params, m, new boolean[m]);
        assertEquals(expected[m], base, 1e-6, "phi_0");
        assertEquals(expected[m + 1], fx, 1e-5, "f(x)");
        double[] phi = ShapleyKernel.solve(plan.masks(), plan.weights(), scores, fx, base);
        assertArrayEquals(Arrays.copyOf(expected, m), phi, 1e-5);
    }

    @Test
    void onShapsSampledCoalitionsTheSolveEqualsShaps() {
        int m = 12;
        double[] expected = doubles(read("shap_sampled_phi"));
        double[] phi = ShapleyKernel.solve(masks(read("shap_sampled_masks")), doubles(read("shap_sampled_weights")),
                doubles(read("shap_sampled_ey")), expected[m + 1], expected[m]);
        assertArrayEquals(Arrays.copyOf(expected, m), phi, 1e-5);
        assertEquals(expected[m + 1] - expected[m], Arrays.stream(phi).sum(), 1e-9, "efficiency");
    }

    @Test
    void thePlanEnumeratesWhatShapEnumeratesAndDrawsTheRestWithItsWeightLeft() {
        int m = 12;
        boolean[][] shapMasks = masks(read("shap_sampled_masks"));
        double[] shapWeights = doubles(read("shap_sampled_weights"));
        int full = (int) doubles(read("shap_sampled_phi"))[m + 2];
        assertEquals(1, full, "the fixture's shap run enumerates size 1 and its complement size 11");
        ShapleyKernel.Plan plan = ShapleyKernel.plan(m, 300, new Random(5));
        assertEquals(shapMasks.length, plan.masks().length, "the budget");
        assertEquals(2 * m, plan.enumerated(), "12 singletons and their complements");
        for (int i = 0; i < plan.enumerated(); i++) {
            assertArrayEquals(shapMasks[i], plan.masks()[i], "enumerated row " + i);
            assertEquals(shapWeights[i], plan.weights()[i], 1e-7, "weight of enumerated row " + i);
        }
        double drawnShap = Arrays.stream(shapWeights, 2 * m, shapWeights.length).sum();
        double drawn = Arrays.stream(plan.weights(), 2 * m, plan.weights().length).sum();
        assertEquals(drawnShap, drawn, 1e-6, "the weight left for the drawn rows");
        for (int i = plan.enumerated(); i < plan.masks().length; i++) {
            int size = 0;
            for (boolean b : plan.masks()[i]) {
                size += b ? 1 : 0;
            }
            assertEquals(true, size >= 2 && size <= m - 2, "drawn row " + i + " has " + size + " features");
        }
    }
}
