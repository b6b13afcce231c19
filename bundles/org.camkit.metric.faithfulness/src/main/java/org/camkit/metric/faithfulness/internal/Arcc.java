package org.camkit.metric.faithfulness.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.spi.CamMetric;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * ARCC, as pytorch-grad-cam's {@code metrics/arcc.py} computes it: complexity = mean |map|; coherency =
 * (Pearson(map, the method's map of the input times the map) + 1) / 2 (sample deviations, ε 1e-8); ROAD = the
 * combined ROAD at 20, 40, 60, 80 scaled by 2 and clipped to [0, 1]; ARCC = 3 / (1/(coherency + ε) + 1/(1 −
 * complexity + ε) + 1/(ROAD + ε)): the HARMONIC mean of coherency, 1 − complexity and ROAD, as the code computes it
 * (its docstring says geometric).
 */
@Component
@Metric("arcc")
public final class Arcc implements CamMetric {

    /** pytorch-grad-cam's ARCC percentiles. */
    static final int[] PERCENTILES = {20, 40, 60, 80};
    private static final double EPS = 1e-8;

    @Override
    public String description() {
        return "ARCC: harmonic mean of coherency, 1 - complexity and ROAD (pytorch-grad-cam); higher is better"
                + " (also complexity, lower is simpler, coherency and road)";
    }

    @Override
    public Map<String, String> options() {
        return Map.of(RoadScore.PERCENTILES, "the ROAD percentiles (default 20,40,60,80)",
                RoadScore.NOISE, "standard deviation of ROAD's imputation noise (default 0.01; 0: none)",
                RoadScore.SEED, "seed of that noise (default 0)",
                Passes.BATCH_SIZE, Passes.BATCH_SIZE_HELP);
    }

    @Override
    public MetricValues score(MetricData data) {
        int n = data.images();
        int h = data.maps().dim(1);
        int w = data.maps().dim(2);
        int plane = h * w;
        double[] arcc = new double[n];
        double[] complexity = new double[n];
        double[] coherency = new double[n];
        double[] road = new double[n];
        for (int i = 0; i < n; i++) {
            float[] map = data.map(i);
            double sum = 0;
            for (float v : map) {
                sum += Math.abs(v);
            }
            complexity[i] = sum / plane;
            Tensor again = data.probe().explain(i, Tensor.of(Passes.timesMap(data, i), 1, 3, h, w));
            float[] second = new float[plane];
            again.copyTo(0, second, 0, plane);
            coherency[i] = (pearson(second, map) + 1) / 2;
            double combined = RoadScore.score(data, i, "arcc", PERCENTILES).combined();
            road[i] = Math.min(1, Math.max(0, 2 * combined));
            arcc[i] = 3 / (1 / (coherency[i] + EPS) + 1 / ((1 - complexity[i]) + EPS) + 1 / (road[i] + EPS));
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("arcc", arcc);
        values.put("complexity", complexity);
        values.put("coherency", coherency);
        values.put("road", road);
        return new MetricValues(values, List.of());
    }

    /** @return Pearson's correlation with sample deviations and ε 1e-8 in the denominator, as pytorch-grad-cam's */
    static double pearson(float[] a, float[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }
        return (cov / (n - 1)) / (Math.sqrt(va / (n - 1)) * Math.sqrt(vb / (n - 1)) + EPS);
    }
}
