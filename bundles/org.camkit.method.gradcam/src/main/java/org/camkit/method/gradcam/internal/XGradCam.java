package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * XGrad-CAM (Fu et al., "Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs", BMVC 2020,
 * arXiv:2008.02312, eq. 11): the gradients are averaged with the normalised activations as weights,
 * {@code w_k = sum_ij (G_k A_k)[i,j] / (sum_ij A_k[i,j] + 1e-7)}; the contributions are {@code w_k * A_k}.
 */
@Component
@Method("xgradcam")
public final class XGradCam implements CamMethod {

    /** pytorch-grad-cam's epsilon, added to the activation sum in float32 as there. */
    private static final float EPS = 1e-7f;

    @Override
    public CamMaps compute(LayerData data) {
        Tensor activations = data.activations();
        float[][] sums = Cams.channelSums(activations);
        float[][] products = Cams.channelSums(
                Contributions.elementwise(activations, data.gradients(), (g, a) -> g * a));
        float[][] weights = new float[sums.length][];
        for (int n = 0; n < sums.length; n++) {
            weights[n] = new float[sums[n].length];
            for (int k = 0; k < sums[n].length; k++) {
                weights[n][k] = products[n][k] / (sums[n][k] + EPS);
            }
        }
        return CamMaps.sum(Cams.contributions(activations, weights));
    }
}
