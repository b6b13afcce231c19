package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.channelSum;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.camkit.method.gradcam.internal.Fixtures.random;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.camkit.spi.LayerData;
import org.camkit.spi.LinearHead;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

/**
 * A global-average-pool + linear head, built analytically: {@code y_c = sum_k W[c,k] mean(A_k) + b_c}. For a target
 * with seed {@code s} on the output, the gradient at the layer is spatially constant,
 * {@code G_k = v_k / Z} with {@code v_k = sum_c s_c W[c,k]} and {@code Z = h * w}.
 */
class GapLinearHeadIdentitiesTest {

    private static final int N = 2, C = 4, H = 3, W = 4, Z = H * W;
    private static final int[] SHAPE = {N, C, H, W};
    private static final float[][] HEAD_ROWS = {
        {0.8f, -1.5f, 1.2f, 0.6f},
        {1.1f, 0.7f, -0.9f, 1.6f},
        {-0.5f, 1.3f, 0.9f, -1.2f}};
    /** Image 0 explains class 1 (one-hot seed); image 1 a mixed seed. */
    private static final float[][] SEEDS = {{0, 1, 0}, {0.3f, -1.2f, 0.5f}};

    private final Tensor activations = random(new Random(11), SHAPE, 0.1f, 3f);
    private final float[] a = activations.toArray();
    private final double[][] v = seedWeightedRows();
    private final LayerData data = new LayerData("layer4", activations, gapGradients(), new float[N],
            FakeProbe.builder().seeds(SEEDS)
                    .linearHead(new LinearHead("layer4", headTensor(), new float[] {0.1f, -0.2f, 0.3f})).build(),
            java.util.Map.of());

    private static double[][] seedWeightedRows() {
        double[][] v = new double[N][C];
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < C; k++) {
                for (int c = 0; c < HEAD_ROWS.length; c++) {
                    v[n][k] += SEEDS[n][c] * HEAD_ROWS[c][k];
                }
            }
        }
        return v;
    }

    private static Tensor headTensor() {
        float[] flat = new float[HEAD_ROWS.length * C];
        for (int c = 0; c < HEAD_ROWS.length; c++) {
            System.arraycopy(HEAD_ROWS[c], 0, flat, c * C, C);
        }
        return tensor(new int[] {HEAD_ROWS.length, C}, flat);
    }

    private Tensor gapGradients() {
        float[] g = new float[N * C * Z];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (v[i / (C * Z)][(i / Z) % C] / Z);
        }
        return tensor(SHAPE, g);
    }

    /** Classic CAM contributions {@code v_k A_k}, computed here from the definition. */
    private float[] camByDefinition() {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (v[i / (C * Z)][(i / Z) % C] * a[i]);
        }
        return out;
    }

    private static float[] divided(float[] values, float by) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= by;
        }
        return out;
    }

    @Test
    void camIsTheSeedWeightedHeadRowsTimesActivations() {
        assertArrayEquals(camByDefinition(), contributions(new Cam(), data), 1e-5f);
    }

    @Test
    void gradCamIsCamDividedByTheArea() {
        float[] cam = contributions(new Cam(), data);
        float[] gradCam = contributions(new GradCam(), data);
        assertArrayEquals(divided(camByDefinition(), Z), gradCam, 1e-6f);
        assertArrayEquals(divided(cam, Z), gradCam, 1e-6f);
        assertArrayEquals(divided(channelSum(cam, SHAPE), Z), channelSum(gradCam, SHAPE), 1e-6f);
    }

    @Test
    void hiResCamMapEqualsGradCamMap() {
        assertArrayEquals(channelSum(contributions(new GradCam(), data), SHAPE),
                channelSum(contributions(new HiResCam(), data), SHAPE), 1e-6f);
    }

    @Test
    void xGradCamEqualsGradCamForSpatiallyConstantGradients() {
        // sum_ij(g A) / (sum_ij A + 1e-7) = g * S / (S + 1e-7) = g for S >> 1e-7
        assertArrayEquals(contributions(new GradCam(), data), contributions(new XGradCam(), data), 1e-6f);
    }

    @Test
    void gradCamPlusPlusWeightsFollowTheClosedForm() {
        // constant g = v_k / Z over Z positions: a = g^2 / (2 g^2 + S_k g^3 + 1e-6), so
        // w_k = Z ReLU(g) g^2 / (2 g^2 + S_k g^3 + 1e-6)  ~  ReLU(v_k) / (2 + v_k mean(A_k))
        float[] plusPlus = contributions(new GradCamPlusPlus(), data);
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < C; k++) {
                int base = (n * C + k) * Z;
                double sum = 0;
                for (int p = 0; p < Z; p++) {
                    sum += a[base + p];
                }
                double g = v[n][k] / Z;
                double exact = Z * Math.max(g, 0) * g * g / (2 * g * g + sum * g * g * g + 1e-6);
                double withoutEpsilon = Math.max(v[n][k], 0) / (2 + v[n][k] * sum / Z);
                for (int p = 0; p < Z; p++) {
                    assertEquals(exact * a[base + p], plusPlus[base + p], 1e-6 * Math.abs(exact * a[base + p]) + 1e-7);
                    assertEquals(withoutEpsilon * a[base + p], plusPlus[base + p],
                            1e-3 * Math.abs(withoutEpsilon * a[base + p]) + 1e-7);
                }
            }
        }
    }

    @Test
    void layerCamEqualsElementWiseGradCamForNonNegativeActivations() {
        // ReLU(g) A = ReLU(g A) when A >= 0; the gradients here have both signs across channels
        assertArrayEquals(contributions(new GradCamElementWise(), data), contributions(new LayerCam(), data), 1e-7f);
    }

    @Test
    void layerCamEqualsElementWiseGradCamForNonNegativeActivationsAndAnyGradients() {
        Random random = new Random(5);
        Tensor nonNegative = random(random, SHAPE, 0f, 2f);
        LayerData any = layer(nonNegative, random(random, SHAPE, -1f, 1f));
        assertArrayEquals(contributions(new GradCamElementWise(), any), contributions(new LayerCam(), any), 1e-7f);
    }
}
