package org.camkit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.Evaluation;
import org.camkit.spi.MetricValues;

/**
 * An evaluation's scores as they come, and their summary: the mean of each metric value per method with its 95%
 * confidence interval (Student's t), and the mean curves.
 */
final class Tally {

    private final List<Evaluation.Score> scores = new ArrayList<>();
    private final Map<Key, List<Double>> values = new LinkedHashMap<>();
    private final Map<Key, CurveSum> curves = new LinkedHashMap<>();
    private final List<Evaluation.Skipped> skipped = new ArrayList<>();

    private record Key(String method, String name) {
    }

    /** The running sum of one method's curves of one name. */
    private static final class CurveSum {
        private final MetricValues.Curve first;
        private final double[] x;
        private final double[] sum;
        private int n;

        CurveSum(MetricValues.Curve first) {
            this.first = first;
            this.x = first.x();
            this.sum = new double[x.length];
        }
    }

    /**
     * @param image  the image's label
     * @param method the method that made the map
     * @param metric the metric's name
     * @param column the name of its values in the report
     * @param result the metric's values for that one image
     * @return the scores added: one per value, named {@code column} for the value named as the metric, else
     *         {@code column/value}
     */
    List<Evaluation.Score> add(String image, String method, String metric, String column, MetricValues result) {
        List<Evaluation.Score> added = new ArrayList<>();
        result.values().forEach((name, perImage) -> {
            String full = name.equals(metric) ? column : column + "/" + name;
            Evaluation.Score score = new Evaluation.Score(image, method, full, perImage[0]);
            added.add(score);
            values.computeIfAbsent(new Key(method, full), k -> new ArrayList<>()).add(perImage[0]);
        });
        for (MetricValues.Curve curve : result.curves()) {
            String name = column.equals(metric) ? curve.name() : column;
            CurveSum sum = curves.computeIfAbsent(new Key(method, name), k -> new CurveSum(curve));
            double[] y = curve.y();
            if (y.length != sum.x.length || !Arrays.equals(curve.x(), sum.x)) {
                throw new IllegalStateException("metric '" + metric + "' gave '" + curve.name() + "' curves on "
                        + "different abscissae");
            }
            for (int i = 0; i < y.length; i++) {
                sum.sum[i] += y[i];
            }
            sum.n++;
        }
        scores.addAll(added);
        return added;
    }

    /** @param image an image left out */
    void skip(Evaluation.Skipped image) {
        skipped.add(image);
    }

    /**
     * @param model   the model's name
     * @param target  the target spec
     * @param methods the methods in the request's order, which the summary keeps
     * @return the evaluation, without files
     */
    Evaluation result(String model, String target, List<String> methods) {
        Comparator<Key> byMethod = Comparator.comparingInt(k -> methods.indexOf(k.method()));
        List<Evaluation.Summary> summary = values.entrySet().stream().sorted(Map.Entry.comparingByKey(byMethod))
                .map(e -> summarise(e.getKey().method(), e.getKey().name(), e.getValue())).toList();
        List<Evaluation.MeanCurve> means = curves.entrySet().stream().sorted(Map.Entry.comparingByKey(byMethod))
                .map(e -> {
                    CurveSum s = e.getValue();
                    double[] y = new double[s.sum.length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = s.sum[i] / s.n;
                    }
                    return new Evaluation.MeanCurve(e.getKey().method(), e.getKey().name(), s.x, y, s.n,
                            s.first.xLabel(), s.first.yLabel());
                }).toList();
        return new Evaluation(model, target, scores, summary, means, skipped, List.of());
    }

    /** @return the mean of the finite values, with its 95% confidence interval */
    static Evaluation.Summary summarise(String method, String metric, List<Double> all) {
        double[] v = all.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        int n = v.length;
        double mean = n == 0 ? Double.NaN : Arrays.stream(v).sum() / n;
        if (n < 2) {
            return new Evaluation.Summary(method, metric, mean, Double.NaN, Double.NaN, n);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double half = studentT975(n - 1) * Math.sqrt(ss / (n - 1) / n);
        return new Evaluation.Summary(method, metric, mean, mean - half, mean + half, n);
    }

    /** Student's t quantiles at 0.975 for 1 to 30 degrees of freedom. */
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
        2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739,
        2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

    /** @return Student's t quantile at 0.975: from the table up to 30 degrees of freedom, else its expansion */
    static double studentT975(int df) {
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959963984540054;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }
}
