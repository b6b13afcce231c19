package org.camkit.metric.localisation.internal;

import java.util.Map;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * The energy-based pointing game (Wang et al., 2020, Score-CAM; Quantus' relevance mass accuracy): the share of the
 * map's sum that lies on the object. A flat map (sum 0) has no share: {@code NaN}.
 */
@Component
@Metric("energy")
public final class Energy implements CamMetric {

    @Override
    public String description() {
        return "share of the map's sum on the object, in [0, 1]; higher is better";
    }

    @Override
    public Map<String, String> options() {
        return Truth.OPTIONS;
    }

    @Override
    public boolean needsGroundTruth() {
        return true;
    }

    @Override
    public MetricValues score(MetricData data) {
        double[] share = new double[data.images()];
        for (int i = 0; i < share.length; i++) {
            boolean[] object = Truth.pixels(data, i, "energy");
            if (object == null) {
                share[i] = Double.NaN;
                continue;
            }
            float[] map = data.map(i);
            double inside = 0;
            double all = 0;
            for (int p = 0; p < map.length; p++) {
                all += map[p];
                if (object[p]) {
                    inside += map[p];
                }
            }
            share[i] = all > 0 ? inside / all : Double.NaN;
        }
        return MetricValues.of("energy", share);
    }
}
