package org.camkit.method.gradcam.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * FinerCAM (Zhang et al., 2025, "Finer-CAM: spotting the difference reveals finer details"), as pytorch-grad-cam's
 * {@code FinerCAM}: Grad-CAM whose target, when the request names none, is {@code finer} (the predicted class against
 * its three closest rivals, the target bundle's {@code FinerWeightedTarget}); {@code --target finer:<class>:<alpha>}
 * chooses the class and α, and any other target makes it plain Grad-CAM.
 */
@Component
@Method("finercam")
public final class FinerCam implements CamMethod {

    private final GradCam gradCam = new GradCam();

    @Override
    public String defaultTarget() {
        return "finer";
    }

    @Override
    public CamMaps compute(LayerData data) {
        return gradCam.compute(data);
    }
}
