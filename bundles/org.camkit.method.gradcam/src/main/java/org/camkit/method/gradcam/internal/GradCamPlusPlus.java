package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Grad-CAM++ (Chattopadhyay et al., "Grad-CAM++: Improved Visual Explanations for Deep Convolutional Networks",
 * WACV 2018, arXiv:1710.11063, eq. 19 with the exponential-score identity): with {@code S_k = sum_ij A_k},
 * {@code a_ij = G² / (2 G² + S_k G³ + 1e-6)}, set to 0 where {@code G == 0}, and
 * {@code w_k = sum_ij ReLU(G_k[i,j]) a_ij}; the contributions are {@code w_k * A_k}.
 * Per-position terms are evaluated in double precision.
 */
@Component
@Method("gradcam++")
public final class GradCamPlusPlus implements CamMethod {

    /** pytorch-grad-cam's epsilon in the denominator of {@code a_ij}. */
    private static final double EPS = 1e-6;

    @Override
    public CamMaps compute(LayerData data) {
        Tensor activations = data.activations();
        float[][] sums = Cams.channelSums(activations);
        Tensor g = data.gradients();
        int area = activations.dim(2) * activations.dim(3);
        float[][] weights = new float[sums.length][];
        for (int n = 0; n < sums.length; n++) {
            weights[n] = new float[sums[n].length];
            for (int k = 0; k < sums[n].length; k++) {
                weights[n][k] = (float) weight(g, (n * sums[n].length + k) * area, area, sums[n][k]);
            }
        }
        return CamMaps.sum(Cams.contributions(activations, weights));
    }

    /** {@code sum_ij ReLU(g) a_ij} over one channel starting at {@code base}. */
    private static double weight(Tensor g, int base, int area, double activationSum) {
        double sum = 0;
        for (int p = base; p < base + area; p++) {
            double grad = g.get(p);
            if (grad == 0) {
                continue;
            }
            double g2 = grad * grad;
            double aij = g2 / (2 * g2 + activationSum * g2 * grad + EPS);
            sum += Math.max(grad, 0) * aij;
        }
        return sum;
    }
}
