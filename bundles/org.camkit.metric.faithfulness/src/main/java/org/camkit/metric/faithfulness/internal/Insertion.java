package org.camkit.metric.faithfulness.internal;

import java.util.Map;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * RISE's insertion metric (Petsiuk et al., 2018): starting from a blurred copy of the image (Gaussian, 11×11, σ 5),
 * the pixels are restored in the map's order, most important first, and the probability of the class predicted on
 * the image is read after each step; the area under that curve is higher for a faithful map.
 */
@Component
@Metric("insertion")
public final class Insertion implements CamMetric {

    @Override
    public String description() {
        return "area under the predicted class's probability as the map's most important pixels are restored first"
                + " into a blurred image; higher is better";
    }

    @Override
    public Map<String, String> options() {
        return Curves.OPTIONS;
    }

    @Override
    public MetricValues score(MetricData data) {
        return Curves.score(data, "insertion", true);
    }
}
