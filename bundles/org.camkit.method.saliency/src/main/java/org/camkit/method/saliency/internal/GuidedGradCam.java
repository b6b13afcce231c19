package org.camkit.method.saliency.internal;

import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
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
        Tensor acts = data.activations();
        float[][] weights = Cams.channelMeans(data.gradients());
        int n = acts.dim(0), c = acts.dim(1), area = acts.dim(2) * acts.dim(3);
        float[] a = acts.data();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0, base = (i * c + k) * area; p < area; p++) {
                    a[base + p] *= weights[i][k];
                }
            }
        }
        return CamMaps.sum(new Tensor(acts.shape(), a));
    }
}
