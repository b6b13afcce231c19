package org.camkit.visual.opencv.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

// Round tick values for a chart axis (steps of 1, 2, 2.5 or 5 times a power of ten), their labels, and values
// printed to three significant digits.
record Ticks(double first, double step, int count) {
    private static final double[] NICE = {1, 2, 2.5, 5};
    private static final double EPSILON = 1e-9;

    /** @return the finest ticks, at most {@code maxCount}, whose first and last enclose [lo, hi] ({@code lo < hi}) */
    static Ticks covering(double lo, double hi, int maxCount) {
        for (double step = smallestStep(hi - lo, maxCount);; step = nextStep(step)) {
            double first = Math.floor(lo / step + EPSILON) * step;
            int count = (int) Math.round(Math.ceil(hi / step - EPSILON) - Math.floor(lo / step + EPSILON)) + 1;
            if (count <= maxCount) {
                return new Ticks(first, step, count);
            }
        }
    }

    /** @return the finest ticks, at most {@code maxCount}, inside [lo, hi] ({@code lo < hi}) */
    static Ticks within(double lo, double hi, int maxCount) {
        for (double step = smallestStep(hi - lo, maxCount);; step = nextStep(step)) {
            double first = Math.ceil(lo / step - EPSILON) * step;
            int count = (int) Math.round(Math.floor(hi / step + EPSILON) - Math.ceil(lo / step - EPSILON)) + 1;
            if (count <= maxCount) {
                return new Ticks(first, step, count);
            }
        }
    }

    double value(int i) {
        double v = first + i * step;
        return Math.abs(v) < step * EPSILON ? 0 : v;
    }

    double last() {
        return value(count - 1);
    }

    /** @return tick {@code i} with as many decimals as the step needs ("0.25", "10") */
    String label(int i) {
        int decimals = 0;
        while (decimals < 12 && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals)))
                > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value(i));
    }

    /** @return {@code v} to three significant digits ("0.500", "12.3", "1.23e-04"); "n/a" for NaN */
    static String significant(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(3));
        double magnitude = Math.abs(rounded.doubleValue());
        if (magnitude < 1e-3 || magnitude >= 1e6) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        int scale = rounded.scale() - rounded.precision() + 3;
        return rounded.setScale(Math.max(0, scale)).toPlainString();
    }

    private static double smallestStep(double span, int maxCount) {
        return Math.pow(10, Math.floor(Math.log10(span / maxCount)) - 1);
    }

    /** @return the next nice step above {@code step} */
    private static double nextStep(double step) {
        double power = Math.pow(10, Math.floor(Math.log10(step) + EPSILON));
        double mantissa = step / power;
        for (double nice : NICE) {
            if (nice > mantissa + EPSILON) {
                return nice * power;
            }
        }
        return 10 * power;
    }
}
