package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Grad-CAM (Selvaraju et al., 2017, eq. 1-2): channel weights are the spatial mean of the gradients,
 * {@code w_k = 1/Z sum_ij dy/dA_k[i,j]}, and the map is {@code sum_k w_k A_k}.
 */
@Component
@Method("gradcam")
public final class GradCam implements CamMethod {

    @Override
    public Tensor compute(LayerData data) {
        return Cams.weightedSum(data.activations(), Cams.channelMeans(data.gradients()));
    }
}
