package org.camkit.method.saliency.internal;

import java.util.Optional;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Guided backpropagation (Springenberg et al., 2015): the picture is the guided input gradient; the map is its
 * saliency, {@code max_c |g_c|} per pixel (Simonyan et al., 2014, sec. 3.1).
 */
@Component
@Method("guidedbackprop")
public final class GuidedBackprop implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.GUIDED_BACKPROP);
    }

    @Override
    public CamMaps compute(LayerData data) {
        Tensor guided = data.probe().guidedGradients();
        int n = guided.dim(0), c = guided.dim(1), pixels = guided.dim(2) * guided.dim(3);
        float[] out = new float[n * pixels];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                int base = (i * c + k) * pixels;
                for (int p = 0; p < pixels; p++) {
                    out[i * pixels + p] = Math.max(out[i * pixels + p], Math.abs(guided.get(base + p)));
                }
            }
        }
        return CamMaps.map(Tensor.of(out, n, 1, guided.dim(2), guided.dim(3)));
    }

    @Override
    public Optional<Tensor> picture(ModelProbe probe, Tensor maps) {
        return Optional.of(probe.guidedGradients());
    }
}
