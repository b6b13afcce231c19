package org.camkit.method.eigen.internal;

import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Eigen-CAM (Muhammad and Yeasin, "Eigen-CAM: Class Activation Map using Principal Components", IJCNN 2020,
 * arXiv:2008.00299): the map is the projection of the activations on their first principal component,
 * {@code map = A_flat V_1} with {@code A_flat} the {@code [h*w, C]} activations centred per channel and {@code V_1}
 * its first right singular vector. Class-agnostic: it needs no gradients. The method hands the activations over;
 * the core projects them.
 */
@Component
@Method("eigencam")
public final class EigenCam implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public CamMaps compute(LayerData data) {
        return CamMaps.projection(data.activations());
    }
}
