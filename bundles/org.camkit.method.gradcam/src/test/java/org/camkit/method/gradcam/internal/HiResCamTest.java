package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.HAND_A;
import static org.camkit.method.gradcam.internal.Fixtures.HAND_G;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HiResCamTest {

    @Test
    void contributionsAreTheElementwiseProductOfGradientsAndActivations() {
        // G0 * A0 = [0.5*1, -1*-2, -1*3, 2*4] = [0.5, 2, -3, 8]; G1 * A1 = [0*2, 1*3, 0*1, -2*1] = [0, 3, 0, -2]
        float[] expected = {0.5f, 2, -3, 8, 0, 3, 0, -2};
        assertArrayEquals(expected, contributions(new HiResCam(), layer(HAND_A, HAND_G)), 1e-6f);
    }
}
