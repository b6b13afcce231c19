package org.camkit.method.gradcam.internal;

import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.LinearHead;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * CAM, the original class activation map (Zhou et al., "Learning Deep Features for Discriminative Localization",
 * CVPR 2016, arXiv:1512.04150, eq. 2: {@code M_c = sum_k w_k^c f_k}). It needs no gradients: the channel weights
 * are the rows of the global-average-pool + linear head, weighted by the target's gradient seed on the output,
 * {@code w_k = sum_c s_c W[c, k]} (for a one-hot seed, the class's row). The contributions are {@code w_k * A_k}.
 * The layer must be the one feeding the pooling.
 */
@Component
@Method("cam")
public final class Cam implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS, Capability.LINEAR_HEAD);
    }

    @Override
    public CamMaps compute(LayerData data) {
        LinearHead head = data.probe().linearHead().orElseThrow();
        Tensor activations = data.activations();
        if (!head.layer().equals(data.layer())) {
            throw new CamException("method 'cam' needs the layer feeding the global average pool, '" + head.layer()
                    + "', but was given layer '" + data.layer() + "'; choose layer '" + head.layer() + "'");
        }
        int classes = head.weights().dim(0), channels = head.weights().dim(1);
        if (channels != activations.dim(1)) {
            throw new CamException("method 'cam': the linear head of layer '" + head.layer() + "' has " + channels
                    + " input channels but the layer's activations have " + activations.dim(1));
        }
        Tensor rows = head.weights();
        float[][] weights = new float[activations.dim(0)][channels];
        for (int n = 0; n < weights.length; n++) {
            float[] seed = data.probe().seed(n);
            if (seed.length != classes) {
                throw new CamException("method 'cam': the target's seed for image " + n + " has " + seed.length
                        + " outputs but the linear head has " + classes);
            }
            for (int k = 0; k < channels; k++) {
                double w = 0;
                for (int c = 0; c < classes; c++) {
                    w += (double) seed[c] * rows.get(c * channels + k);
                }
                weights[n][k] = (float) w;
            }
        }
        return CamMaps.sum(Cams.contributions(activations, weights));
    }
}
