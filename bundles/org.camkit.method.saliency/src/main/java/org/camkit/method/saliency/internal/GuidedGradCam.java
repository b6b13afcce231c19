package org.camkit.method.saliency.internal;

import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Guided Grad-CAM (Selvaraju et al., 2017, sec. 3): the Grad-CAM contributions {@code mean_ij(dy/dA_k) * A_k};
 * the core multiplies the guided-backpropagation image by the final CAM.
 */
@Component
@Method("guidedgradcam")
public final class GuidedGradCam implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.GUIDED_BACKPROP);
    }

    @Override
    public CamMaps compute(LayerData data) {
        return CamMaps.sum(Cams.contributions(data.activations(), Cams.channelMeans(data.gradients())));
    }
}
