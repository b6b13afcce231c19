package org.camkit.metric.localisation.internal;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * The pointing game (Zhang et al., 2018, "Top-down neural attention by excitation backprop"): a hit (1) when the
 * map's maximum lies on the object or within {@code tolerance} pixels of it (15, as in the paper), else a miss (0).
 * The maximum is the first pixel in raster order holding the largest value; a flat map (all 0) points nowhere and
 * misses.
 */
@Component
@Metric("pointing-game")
public final class PointingGame implements CamMetric {

    static final String TOLERANCE = "tolerance";

    @Override
    public String description() {
        return "1 when the map's maximum lies on the object (within the tolerance), else 0; higher is better";
    }

    @Override
    public Map<String, String> options() {
        return Truth.optionsWith(TOLERANCE, "how far from the object, in pixels of the model's input, the maximum"
                + " still hits (default 15)");
    }

    @Override
    public boolean needsGroundTruth() {
        return true;
    }

    @Override
    public MetricValues score(MetricData data) {
        double tolerance = data.doubleOption(TOLERANCE, 15);
        if (!(tolerance >= 0)) {
            throw new CamException("metric 'pointing-game': option tolerance must be at least 0, got " + tolerance);
        }
        int w = data.maps().dim(2);
        int h = data.maps().dim(1);
        double[] hits = new double[data.images()];
        for (int i = 0; i < hits.length; i++) {
            boolean[] object = Truth.pixels(data, i, "pointing-game");
            if (object == null) {
                hits[i] = Double.NaN;
                continue;
            }
            float[] map = data.map(i);
            int best = 0;
            for (int p = 1; p < map.length; p++) {
                if (map[p] > map[best]) {
                    best = p;
                }
            }
            hits[i] = map[best] > 0 && near(object, w, h, best % w, best / w, tolerance) ? 1 : 0;
        }
        return MetricValues.of("pointing-game", hits);
    }

    /** @return whether an object pixel lies within {@code tolerance} of (x, y) */
    static boolean near(boolean[] object, int w, int h, int x, int y, double tolerance) {
        int r = (int) Math.floor(tolerance);
        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                long dx = xx - x;
                long dy = yy - y;
                if (object[yy * w + xx] && dx * dx + dy * dy <= tolerance * tolerance) {
                    return true;
                }
            }
        }
        return false;
    }
}
