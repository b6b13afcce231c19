package org.camkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.camkit.spi.Tensor;

// The suites' comparison of tensors: same shape, and close relative to the expected values' largest magnitude.
final class Compare {

    private Compare() {
    }

    /**
     * Asserts equal shapes and {@code |actual - expected| <= tolerance * max(max|expected|, 1e-3)} everywhere, so a
     * reference that is (almost) all zeros is compared absolutely.
     */
    static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> what + ": shape " + actual + ", expected "
                + expected);
        double scale = 1e-3;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.get(i)));
        }
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.size(); i++) {
            double diff = Math.abs((double) actual.get(i) - expected.get(i));
            if (!(diff <= worst)) {
                worst = diff;
                at = i;
            }
        }
        double limit = tolerance * scale;
        int worstAt = at;
        double error = worst;
        assertTrue(error <= limit, () -> what + ": differs by " + error + " (more than " + limit + ") at flat index "
                + worstAt + ": expected " + expected.get(worstAt) + ", got " + actual.get(worstAt));
    }
}
