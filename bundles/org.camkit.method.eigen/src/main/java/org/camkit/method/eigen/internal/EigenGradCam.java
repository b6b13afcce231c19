package org.camkit.method.eigen.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Eigen-Grad-CAM, pytorch-grad-cam's {@code EigenGradCAM} (no paper of its own; Eigen-CAM, Muhammad and Yeasin,
 * arXiv:2008.00299, made class-discriminative): the map is the projection of {@code G ⊙ A} on its first principal
 * component. The method hands {@code G ⊙ A} over; the core projects it.
 */
@Component
@Method("eigengradcam")
public final class EigenGradCam implements CamMethod {

    @Override
    public CamMaps compute(LayerData data) {
        Tensor g = data.gradients();
        float[] a = data.activations().toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] *= g.get(i);
        }
        return CamMaps.projection(Tensor.of(a, g.shape()));
    }
}
