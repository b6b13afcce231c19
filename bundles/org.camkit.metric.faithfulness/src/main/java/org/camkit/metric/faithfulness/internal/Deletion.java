package org.camkit.metric.faithfulness.internal;

import java.util.Map;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * RISE's deletion metric (Petsiuk et al., 2018): the pixels are removed in the map's order, most important first
 * (set to 0 in the model's normalised space, the mean colour), and the probability of the class predicted on the
 * image is read after each step; the area under that curve is lower for a faithful map.
 */
@Component
@Metric("deletion")
public final class Deletion implements CamMetric {

    @Override
    public String description() {
        return "area under the predicted class's probability as the map's most important pixels are deleted first;"
                + " lower is better";
    }

    @Override
    public Map<String, String> options() {
        return Curves.OPTIONS;
    }

    @Override
    public MetricValues score(MetricData data) {
        return Curves.score(data, "deletion", false);
    }
}
