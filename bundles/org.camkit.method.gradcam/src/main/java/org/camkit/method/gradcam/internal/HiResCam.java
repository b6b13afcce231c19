package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * HiResCAM (Draelos and Carin, "Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional neural
 * networks", arXiv:2011.08891): the gradients are not pooled; the contributions are {@code G_k ⊙ A_k}.
 */
@Component
@Method("hirescam")
public final class HiResCam implements CamMethod {

    @Override
    public CamMaps compute(LayerData data) {
        return CamMaps.sum(Contributions.elementwise(data.activations(), data.gradients(), (g, a) -> g * a));
    }
}
