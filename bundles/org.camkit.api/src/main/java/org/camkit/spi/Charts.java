package org.camkit.spi;

import java.util.List;
import org.camkit.api.RgbImage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Draws the charts of an evaluation report: bars with confidence intervals, and curves. Registered as a service;
 * the highest-ranked one is used.
 *
 * @since 1.2
 */
@ConsumerType
public interface Charts {

    /**
     * Bar charts side by side, one panel per quantity (each on its own scale).
     *
     * @param title  the figure's title
     * @param panels the panels, in order
     * @return the figure, never null
     */
    RgbImage bars(String title, List<BarPanel> panels);

    /**
     * Curves on shared axes, each named in a legend.
     *
     * @param title  the chart's title
     * @param xLabel what the x axis shows
     * @param yLabel what the y axis shows
     * @param series the curves
     * @return the chart, never null
     */
    RgbImage curves(String title, String xLabel, String yLabel, List<Series> series);

    /**
     * One panel of bars: a value per label with its confidence interval.
     *
     * @param title  what the bars measure
     * @param labels the bars' names (e.g. methods)
     * @param values the bars' heights
     * @param low    the intervals' lower ends ({@code NaN}: none)
     * @param high   the intervals' upper ends ({@code NaN}: none)
     */
    record BarPanel(String title, List<String> labels, double[] values, double[] low, double[] high) {

        /** Validates and copies. */
        public BarPanel {
            labels = List.copyOf(labels);
            if (values.length != labels.size() || low.length != labels.size() || high.length != labels.size()) {
                throw new IllegalArgumentException("panel '" + title + "': one value, low and high per label");
            }
            values = values.clone();
            low = low.clone();
            high = high.clone();
        }
    }

    /**
     * A named curve.
     *
     * @param name its name in the legend
     * @param x    the abscissae
     * @param y    the values
     */
    record Series(String name, double[] x, double[] y) {

        /** Validates and copies. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x and " + y.length + " y");
            }
            x = x.clone();
            y = y.clone();
        }
    }
}
