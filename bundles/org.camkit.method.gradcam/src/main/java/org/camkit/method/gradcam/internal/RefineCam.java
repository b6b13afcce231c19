package org.camkit.method.gradcam.internal;

import org.camkit.api.LayerAggregation;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * RefineCAM (pytorch-grad-cam's {@code RefineCAM}, arXiv:2605.14641): Grad-CAM++ at each of several layers, the
 * layers' normalised maps multiplied element-wise and the product min-max scaled, so that only what every layer
 * highlights survives; it denoises early layers. The product is the core's {@link LayerAggregation#PRODUCT}, which
 * every method gets with {@code --aggregate product}; this id makes it the default, with Grad-CAM++ as the base as in
 * pytorch-grad-cam. With one layer it is Grad-CAM++.
 */
@Component
@Method("refinecam")
public final class RefineCam implements CamMethod {

    private final GradCamPlusPlus base = new GradCamPlusPlus();

    @Override
    public LayerAggregation aggregation() {
        return LayerAggregation.PRODUCT;
    }

    @Override
    public CamMaps compute(LayerData data) {
        return base.compute(data);
    }
}
