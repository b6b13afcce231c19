package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.HAND_A;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;
import org.camkit.spi.LayerGradients;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class ShapleyCamTest {

    /** Per position p of one image: q_p and b_p of the head t(A) = sum_p (q_p A_p^2 / 2 + b_p A_p). */
    private static final float[] Q = {0.5f, -1, 2, 0, 1, 0.25f, -0.5f, 3};
    private static final float[] B = {1, 0, -1, 2, 0.5f, -2, 1, 0};

    /** The head's gradient q_p A_p + b_p, for every row of a batch of one image's activations. */
    private static LayerGradients quadraticHead(int image, String layer, Tensor batch) {
        int size = Q.length;
        float[] g = new float[batch.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = Q[i % size] * batch.get(i) + B[i % size];
        }
        return new LayerGradients(batch, Tensor.of(g, batch.shape()), new float[batch.dim(0)]);
    }

    private static LayerData quadratic(FakeProbe probe, Map<String, String> options) {
        float[] g = new float[Q.length];
        for (int p = 0; p < g.length; p++) {
            g[p] = Q[p] * HAND_A.get(p) + B[p];
        }
        return new LayerData("layer", HAND_A, Tensor.of(g, HAND_A.shape()), new float[1], probe, options);
    }

    @Test
    void weightsAreTheMeanOfTheGradientMinusHalfTheHessianTimesTheActivations() {
        FakeProbe probe = FakeProbe.builder().gradientsFromLayer(ShapleyCamTest::quadraticHead).build();
        // H A = q A, so G - H A / 2 = q A / 2 + b; channel 0: A = {1, -2, 3, 4}
        double w0 = (0.5 * 0.5 * 1 + 1 + 0.5 * -1 * -2 + 0 + 0.5 * 2 * 3 - 1 + 0 + 2) / 4;
        // channel 1: A = {2, 3, 1, 1}
        double w1 = (0.5 * 1 * 2 + 0.5 + 0.5 * 0.25 * 3 - 2 + 0.5 * -0.5 * 1 + 1 + 0.5 * 3 * 1 + 0) / 4;
        float[] expected = new float[8];
        for (int p = 0; p < 4; p++) {
            expected[p] = (float) (w0 * HAND_A.get(p));
            expected[4 + p] = (float) (w1 * HAND_A.get(4 + p));
        }
        assertArrayEquals(expected, contributions(new ShapleyCam(), quadratic(probe, Map.of())), 1e-4f);
        assertEquals(List.of(2), probe.batchSizes(), "both shifted copies go through the head in one pass");
    }

    @Test
    void theCentralDifferenceShiftsTheActivationsByTheStepBothWays() {
        List<Tensor> seen = new java.util.ArrayList<>();
        FakeProbe probe = FakeProbe.builder().gradientsFromLayer((image, layer, batch) -> {
            seen.add(batch);
            return quadraticHead(image, layer, batch);
        }).build();
        contributions(new ShapleyCam(), quadratic(probe, Map.of(ShapleyCam.STEP, "0.25")));
        Tensor batch = seen.get(0);
        for (int p = 0; p < 8; p++) {
            assertEquals(HAND_A.get(p) * 1.25f, batch.get(p), 1e-6f);
            assertEquals(HAND_A.get(p) * 0.75f, batch.get(8 + p), 1e-6f);
        }
    }

    @Test
    void onAHeadWithoutCurvatureItIsGradCam() {
        FakeProbe probe = FakeProbe.builder().gradientsFromLayer((image, layer, batch) -> {
            float[] g = new float[batch.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = Fixtures.HAND_G.get(i % 8);
            }
            return new LayerGradients(batch, Tensor.of(g, batch.shape()), new float[2]);
        }).build();
        LayerData data = new LayerData("layer", HAND_A, Fixtures.HAND_G, new float[1], probe, Map.of());
        assertArrayEquals(contributions(new GradCam(), layer(HAND_A, Fixtures.HAND_G)),
                contributions(new ShapleyCam(), data), 1e-6f);
    }

    @Test
    void aStepOutsideItsRangeIsRefusedByName() {
        FakeProbe probe = FakeProbe.builder().gradientsFromLayer(ShapleyCamTest::quadraticHead).build();
        for (String step : new String[] {"0", "-0.1", "0.6"}) {
            CamException e = assertThrows(CamException.class,
                    () -> new ShapleyCam().compute(quadratic(probe, Map.of(ShapleyCam.STEP, step))));
            assertTrue(e.getMessage().contains("shapleycam option step"), e.getMessage());
        }
    }
}
