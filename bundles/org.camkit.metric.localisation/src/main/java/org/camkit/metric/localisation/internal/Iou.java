package org.camkit.metric.localisation.internal;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * Intersection over union of the map thresholded (pixels at or above {@code threshold}) and the object.
 */
@Component
@Metric("iou")
public final class Iou implements CamMetric {

    static final String THRESHOLD = "threshold";

    @Override
    public String description() {
        return "intersection over union of the map's pixels at or above the threshold and the object; higher is"
                + " better";
    }

    @Override
    public Map<String, String> options() {
        return Truth.optionsWith(THRESHOLD, "the map value, in (0, 1], at or above which a pixel counts as shown"
                + " (default 0.5)");
    }

    @Override
    public boolean needsGroundTruth() {
        return true;
    }

    @Override
    public MetricValues score(MetricData data) {
        double threshold = data.doubleOption(THRESHOLD, 0.5);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new CamException("metric 'iou': option threshold must be in (0, 1], got " + threshold);
        }
        double[] iou = new double[data.images()];
        for (int i = 0; i < iou.length; i++) {
            boolean[] object = Truth.pixels(data, i, "iou");
            if (object == null) {
                iou[i] = Double.NaN;
                continue;
            }
            float[] map = data.map(i);
            long both = 0;
            long either = 0;
            for (int p = 0; p < map.length; p++) {
                boolean shown = map[p] >= threshold;
                both += shown && object[p] ? 1 : 0;
                either += shown || object[p] ? 1 : 0;
            }
            iou[i] = (double) both / either; // the object is never empty, so neither is the union
        }
        return MetricValues.of("iou", iou);
    }
}
