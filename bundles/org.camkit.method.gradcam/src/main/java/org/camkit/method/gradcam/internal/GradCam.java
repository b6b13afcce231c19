package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Grad-CAM (Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization",
 * ICCV 2017, arXiv:1610.02391, eq. 1-2): the channel weights are the spatially averaged gradients,
 * {@code w_k = 1/Z sum_ij G_k[i,j]}, and the contributions are {@code w_k * A_k}.
 */
@Component
@Method("gradcam")
public final class GradCam implements CamMethod {

    @Override
    public CamMaps compute(LayerData data) {
        return CamMaps.sum(Cams.contributions(data.activations(), Cams.channelMeans(data.gradients())));
    }
}
