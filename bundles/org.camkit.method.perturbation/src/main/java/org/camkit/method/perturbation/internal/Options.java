package org.camkit.method.perturbation.internal;

import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;

/** Reads method options with range checks; errors name the method, the option and the valid values. */
final class Options {

    private Options() {
    }

    /** @return the integer option, at least {@code min} */
    static int atLeast(LayerData data, String method, String name, int fallback, int min) {
        return between(data, method, name, fallback, min, Integer.MAX_VALUE);
    }

    /** @return the integer option, in {@code [min, max]} */
    static int between(LayerData data, String method, String name, int fallback, int min, int max) {
        int value = data.intOption(name, fallback);
        if (value < min || value > max) {
            throw invalid(method, name, (max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and "
                    + max) + ", got " + value);
        }
        return value;
    }

    /** @return the number option, in {@code (0, 1]} */
    static double fraction(LayerData data, String method, String name, double fallback) {
        double value = data.doubleOption(name, fallback);
        if (!(value > 0 && value <= 1)) {
            throw invalid(method, name, "a number in (0, 1], got " + value);
        }
        return value;
    }

    /** @return the option {@code true} or {@code false} (any case) */
    static boolean flag(LayerData data, String method, String name, boolean fallback) {
        String value = data.options().get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(method, name, "true or false, got '" + value + "'");
        };
    }

    /** @return the number option, finite and at least 0 */
    static double nonNegative(LayerData data, String method, String name, double fallback) {
        double value = data.doubleOption(name, fallback);
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw invalid(method, name, "a finite number of at least 0, got " + value);
        }
        return value;
    }

    /** @return the error for a malformed option, naming the option as its culprit (the request is at fault) */
    private static CamException invalid(String method, String name, String rule) {
        return new CamException(CamException.Kind.INVALID, "method '" + method + "': option '" + name + "' must be "
                + rule, name, List.of());
    }
}
