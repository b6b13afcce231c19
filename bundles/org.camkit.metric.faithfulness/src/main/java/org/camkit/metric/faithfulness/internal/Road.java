package org.camkit.metric.faithfulness.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * ROAD, combined (pytorch-grad-cam's {@code ROADCombined}), with its MoRF and LeRF averages: see {@link RoadScore}.
 */
@Component
@Metric("road")
public final class Road implements CamMetric {

    /** pytorch-grad-cam's default percentiles. */
    static final int[] PERCENTILES = {10, 20, 30, 40, 50, 60, 70, 80, 90};

    @Override
    public String description() {
        return "ROAD: (LeRF - MoRF) / 2 of the target's change as pixels ranked by the map are removed and imputed;"
                + " higher is better (also morf, lower is better, and lerf)";
    }

    @Override
    public Map<String, String> options() {
        return Map.of(RoadScore.PERCENTILES, "the percentiles of the map at which pixels are removed (default "
                        + "10,20,30,40,50,60,70,80,90)",
                RoadScore.NOISE, "standard deviation of the noise added to imputed pixels (default 0.01; 0: none,"
                        + " deterministic)",
                RoadScore.SEED, "seed of that noise (default 0)",
                Passes.BATCH_SIZE, Passes.BATCH_SIZE_HELP);
    }

    @Override
    public MetricValues score(MetricData data) {
        int n = data.images();
        double[] combined = new double[n];
        double[] morf = new double[n];
        double[] lerf = new double[n];
        for (int i = 0; i < n; i++) {
            RoadScore.Result r = RoadScore.score(data, i, "road", PERCENTILES);
            combined[i] = r.combined();
            morf[i] = r.morfMean();
            lerf[i] = r.lerfMean();
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("road", combined);
        values.put("morf", morf);
        values.put("lerf", lerf);
        return new MetricValues(values, List.of());
    }
}
