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
 * How the target's score changes when the input is multiplied by its map (pytorch-grad-cam's
 * {@code CamMultImageConfidenceChange}; the input is the model's normalised input, as there): with {@code Y} the score
 * of the image and {@code O} that of the image times its map,
 * <ul>
 * <li>{@code change} = O − Y, pytorch-grad-cam's raw value;</li>
 * <li>{@code drop} = max(Y − O, 0), its {@code DropInConfidence} (absolute, lower is better);</li>
 * <li>{@code increase} = 1 when O > Y, else 0, its {@code IncreaseInConfidence} (higher is better);</li>
 * <li>{@code average-drop} = 100 · max(0, Y − O) / Y, the Average Drop % of the Grad-CAM++ and Score-CAM papers
 * (averaged over images; {@code NaN} where Y ≤ 0: use a probability target such as {@code softmax:<class>});</li>
 * <li>{@code increase-in-confidence} = 100 when O > Y, else 0, those papers' Increase in Confidence %.</li>
 * </ul>
 */
@Component
@Metric("confidence")
public final class Confidence implements CamMetric {

    @Override
    public String description() {
        return "the target's change when the input is multiplied by its map: drop (lower is better), increase,"
                + " average-drop % and increase-in-confidence % (Grad-CAM++/Score-CAM papers), change";
    }

    @Override
    public Map<String, String> options() {
        return Map.of(Passes.BATCH_SIZE, Passes.BATCH_SIZE_HELP);
    }

    @Override
    public MetricValues score(MetricData data) {
        int n = data.images();
        int h = data.maps().dim(1);
        int w = data.maps().dim(2);
        double[] drop = new double[n];
        double[] increase = new double[n];
        double[] change = new double[n];
        double[] averageDrop = new double[n];
        double[] increaseInConfidence = new double[n];
        float[] y = data.scores();
        for (int i = 0; i < n; i++) {
            double o = Passes.run(data.probe(), List.of(Passes.timesMap(data, i)), h, w, 1, Passes.target(i))[0];
            float delta = (float) o - y[i]; // in float, as pytorch-grad-cam's difference
            change[i] = delta;
            drop[i] = Math.max(-delta, 0);
            increase[i] = delta > 0 ? 1 : 0;
            averageDrop[i] = y[i] > 0 ? 100.0 * Math.max(0, y[i] - o) / y[i] : Double.NaN;
            increaseInConfidence[i] = 100 * increase[i];
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("drop", drop);
        values.put("increase", increase);
        values.put("average-drop", averageDrop);
        values.put("increase-in-confidence", increaseInConfidence);
        values.put("change", change);
        return new MetricValues(values, List.of());
    }
}
