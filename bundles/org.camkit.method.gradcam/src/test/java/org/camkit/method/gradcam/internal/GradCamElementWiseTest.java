package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.HAND_A;
import static org.camkit.method.gradcam.internal.Fixtures.HAND_G;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class GradCamElementWiseTest {

    @Test
    void contributionsAreTheRectifiedElementwiseProduct() {
        // ReLU([0.5, 2, -3, 8]) = [0.5, 2, 0, 8]; ReLU([0, 3, 0, -2]) = [0, 3, 0, 0]
        float[] expected = {0.5f, 2, 0, 8, 0, 3, 0, 0};
        assertArrayEquals(expected, contributions(new GradCamElementWise(), layer(HAND_A, HAND_G)), 1e-6f);
    }
}
