package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Element-wise Grad-CAM, pytorch-grad-cam's {@code GradCAMElementWise} (no paper of its own; HiResCAM with a ReLU
 * before the channel sum): the contributions are {@code ReLU(G_k ⊙ A_k)}.
 */
@Component
@Method("gradcamelementwise")
public final class GradCamElementWise implements CamMethod {

    @Override
    public CamMaps compute(LayerData data) {
        return CamMaps.sum(Contributions.elementwise(data.activations(), data.gradients(),
                (g, a) -> Math.max(g * a, 0f)));
    }
}
