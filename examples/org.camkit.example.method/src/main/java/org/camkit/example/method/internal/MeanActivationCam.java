package org.camkit.example.method.internal;

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
 * Example plugin: the mean activation over channels, {@code map = 1/C sum_k A_k}. Needs no gradients, so it runs
 * on any backend that captures activations.
 */
@Component
@Method("meanactivation")
public final class MeanActivationCam implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public CamMaps compute(LayerData data) {
        Tensor a = data.activations();
        float[][] weights = new float[a.dim(0)][a.dim(1)];
        for (float[] row : weights) {
            java.util.Arrays.fill(row, 1f / a.dim(1));
        }
        return CamMaps.sum(Cams.contributions(a, weights));
    }
}
