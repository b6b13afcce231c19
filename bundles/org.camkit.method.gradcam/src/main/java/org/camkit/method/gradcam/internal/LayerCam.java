package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * LayerCAM (Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization", IEEE TIP 30,
 * 2021, doi:10.1109/TIP.2021.3089943, eq. 5-6): each position is weighted by its positive gradient; the
 * contributions are {@code ReLU(G_k) ⊙ A_k}.
 */
@Component
@Method("layercam")
public final class LayerCam implements CamMethod {

    @Override
    public CamMaps compute(LayerData data) {
        return CamMaps.sum(Contributions.elementwise(data.activations(), data.gradients(),
                (g, a) -> Math.max(g, 0f) * a));
    }
}
