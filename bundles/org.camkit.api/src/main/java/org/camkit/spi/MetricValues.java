package org.camkit.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link CamMetric} returns for a batch: named values per image (the first is the metric's main value) and,
 * where the metric has them, curves.
 *
 * @param values per value name, one value per image in batch order ({@code NaN} where it has none)
 * @param curves per image, its curves (e.g. the deletion curve); empty when the metric has none
 * @since 1.2
 */
public record MetricValues(Map<String, double[]> values, List<Curve> curves) {

    /** Copies, keeping the order of the values. */
    public MetricValues {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a metric gives at least one value");
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        int n = values.values().iterator().next().length;
        values.forEach((name, v) -> {
            if (v.length != n) {
                throw new IllegalArgumentException("value '" + name + "' has " + v.length + " images, not " + n);
            }
            copy.put(name, v.clone());
        });
        values = Collections.unmodifiableMap(copy);
        curves = List.copyOf(curves);
    }

    /**
     * @param name   the value's name
     * @param values one per image
     * @return one named value per image, no curves
     */
    public static MetricValues of(String name, double[] values) {
        return new MetricValues(Map.of(name, values), List.of());
    }

    /**
     * A curve of one image, e.g. the target's probability as pixels are deleted.
     *
     * @param name   what it shows, e.g. {@code deletion}
     * @param image  the image index in the batch
     * @param x      the abscissae, e.g. the fraction of pixels deleted
     * @param y      the values at those abscissae
     * @param xLabel what the abscissae are, for charts, e.g. {@code fraction of pixels deleted}
     * @param yLabel what the values are, for charts
     */
    public record Curve(String name, int image, double[] x, double[] y, String xLabel, String yLabel) {

        /** Validates and copies. */
        public Curve {
            if (x.length != y.length) {
                throw new IllegalArgumentException("curve '" + name + "': " + x.length + " x and " + y.length + " y");
            }
            x = x.clone();
            y = y.clone();
        }

        /** @return a copy of the abscissae */
        @Override
        public double[] x() {
            return x.clone();
        }

        /** @return a copy of the values */
        @Override
        public double[] y() {
            return y.clone();
        }
    }
}
