package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.camkit.method.gradcam.internal.GradCam;
import org.camkit.method.gradcam.internal.GradCamElementWise;
import org.camkit.method.gradcam.internal.GradCamPlusPlus;
import org.camkit.method.gradcam.internal.HiResCam;
import org.camkit.method.gradcam.internal.LayerCam;
import org.camkit.method.gradcam.internal.XGradCam;
import org.camkit.method.perturbation.internal.AblationCam;
import org.camkit.spi.Cams;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The identities a global-average-pool + linear head gives, on the trained demo CNN (relu4, GAP, fc), on each
 * backend (subclasses): there
 * {@code y_c = sum_k W_ck mean(A_k) + b_c}, so {@code dy_c/dA_k = W_ck / Z} at every position ({@code Z = h*w}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GapLinearIdentitiesTest {

    private static final String TARGET = "1";
    private LoadedModel model;
    private Tensor input;
    private Maps.Run gradCam;
    private LinearHead head;

    /** @return the trained demo CNN on one backend */
    abstract LoadedModel load();

    /**
     * @param model the loaded model
     * @return its global-average-pool + linear head: the weights the identities are checked against
     */
    abstract LinearHead head(LoadedModel model);

    @BeforeAll
    void explainFourScenes() {
        model = load();
        input = Models.demoScenes(4, 40);
        gradCam = Maps.run(model, new GradCam(), input, TARGET, Models.DEMO_LAYER);
        head = head(model);
    }

    @AfterAll
    void close() {
        model.close();
    }

    /** @return per image, the target class's head weight of each channel times {@code scale} */
    private float[][] headWeights(float scale) {
        int channels = head.weights().dim(1);
        float[][] w = new float[gradCam.data().activations().dim(0)][channels];
        for (float[] row : w) {
            for (int k = 0; k < channels; k++) {
                row[k] = head.weights().at(Integer.parseInt(TARGET), k) * scale;
            }
        }
        return w;
    }

    /** @return the model probed as the pipeline saw it */
    Maps.Run gradCam() {
        return gradCam;
    }

    Tensor input() {
        return input;
    }

    LoadedModel model() {
        return model;
    }

    int area() {
        return gradCam.data().activations().dim(2) * gradCam.data().activations().dim(3);
    }

    @Test
    void theHeadIsTheLayerFeedingTheAveragePool() {
        assertEquals(Models.DEMO_LAYER, head.layer());
        assertEquals(gradCam.data().activations().dim(1), head.weights().dim(1));
    }

    /** Grad-CAM's weights are {@code mean(dy_c/dA_k) = W_ck / Z}: its map is the CAM map {@code sum_k W_ck A_k} over Z. */
    @Test
    void gradCamIsTheHeadsCamMapDividedByTheArea() {
        float[][] expected = Maps.images(Cams.weightedSum(gradCam.data().activations(), headWeights(1f / area())));
        Maps.assertClose(expected, gradCam.summed(), 1e-4, "Grad-CAM vs sum_k W_ck A_k / (h*w)");
    }

    @Test
    void hiResCamEqualsGradCam() {
        Maps.assertClose(gradCam.summed(), Maps.run(model, new HiResCam(), input, TARGET, Models.DEMO_LAYER)
                .summed(), 1e-4, "HiResCAM vs Grad-CAM");
    }

    @Test
    void xGradCamEqualsGradCam() {
        Maps.assertClose(gradCam.summed(), Maps.run(model, new XGradCam(), input, TARGET, Models.DEMO_LAYER)
                .summed(), 1e-4, "XGradCAM vs Grad-CAM");
    }

    @Test
    void layerCamEqualsGradCamElementWiseForNonNegativeActivations() {
        float[] a = gradCam.data().activations().toArray();
        for (float v : a) {
            assertTrue(v >= 0, "relu4 activations are non-negative");
        }
        Maps.assertClose(Maps.run(model, new GradCamElementWise(), input, TARGET, Models.DEMO_LAYER).summed(),
                Maps.run(model, new LayerCam(), input, TARGET, Models.DEMO_LAYER).summed(), 1e-5,
                "LayerCAM vs GradCAMElementWise");
    }

    /**
     * With {@code g = W_ck / Z} everywhere, Grad-CAM++'s {@code alpha = g^2 / (2 g^2 + S_k g^3 + 1e-6)} is the same
     * at every position, so {@code w_k = Z ReLU(g) g^2 / (2 g^2 + S_k g^3 + 1e-6)} (which is
     * {@code Z ReLU(g) / (2 + S_k g)} but for the epsilon, kept because g is small here).
     */
    @Test
    void gradCamPlusPlusFollowsItsClosedForm() {
        float[] weights = head.weights().toArray();
        int channels = head.weights().dim(1);
        int z = area();
        float[][] sums = Cams.channelSums(gradCam.data().activations());
        float[][] w = new float[sums.length][channels];
        for (int n = 0; n < sums.length; n++) {
            for (int k = 0; k < channels; k++) {
                double g = weights[Integer.parseInt(TARGET) * channels + k] / (double) z;
                double s = sums[n][k];
                w[n][k] = (float) (z * Math.max(g, 0) * g * g / (2 * g * g + s * g * g * g + 1e-6));
            }
        }
        float[][] expected = Maps.images(Cams.weightedSum(gradCam.data().activations(), w));
        Maps.assertClose(expected, Maps.run(model, new GradCamPlusPlus(), input, TARGET, Models.DEMO_LAYER)
                .summed(), 1e-4, "Grad-CAM++ vs closed form");
    }

    /**
     * Ablating channel k (to 0: the activations' minimum is 0) removes {@code W_ck mean(A_k)} from {@code y_c}, so
     * {@code w_k = (y - y_k) / y = W_ck mean(A_k) / y_c}.
     */
    @Test
    void ablationCamWithZeroAblationFollowsItsClosedForm() {
        float[] weights = head.weights().toArray();
        float[] bias = head.bias();
        int channels = head.weights().dim(1);
        int c = Integer.parseInt(TARGET);
        float[][] means = Cams.channelMeans(gradCam.data().activations());
        float[][] w = new float[means.length][channels];
        for (int n = 0; n < means.length; n++) {
            double y = bias[c];
            for (int k = 0; k < channels; k++) {
                y += weights[c * channels + k] * means[n][k];
            }
            for (int k = 0; k < channels; k++) {
                w[n][k] = (float) (weights[c * channels + k] * means[n][k] / y);
            }
        }
        float[][] expected = Maps.images(Cams.weightedSum(gradCam.data().activations(), w));
        Maps.assertClose(expected, Maps.run(model, new AblationCam(), input, TARGET, Models.DEMO_LAYER).summed(),
                1e-3, "AblationCAM vs closed form");
    }
}
