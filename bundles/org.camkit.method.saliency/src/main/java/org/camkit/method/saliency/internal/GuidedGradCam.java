package org.camkit.method.saliency.internal;

import java.util.Optional;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Guided Grad-CAM (Selvaraju et al., 2017, sec. 3): the map is Grad-CAM's, {@code sum_k mean_ij(dy/dA_k) * A_k};
 * the picture is the guided-backpropagation image times the finished map, pixel by pixel.
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

    @Override
    public Optional<Tensor> picture(ModelProbe probe, Tensor maps) {
        float[] product = probe.guidedGradients().toArray();
        int plane = maps.dim(1) * maps.dim(2);
        for (int p = 0; p < product.length; p++) {
            int image = p / (3 * plane);
            product[p] *= maps.get(image * plane + p % plane);
        }
        return Optional.of(Tensor.of(product, probe.input().dim(0), 3, maps.dim(1), maps.dim(2)));
    }
}
