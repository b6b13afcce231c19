package org.camkit.spi;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;

/** Reads plugin options as numbers, with the message every plugin gives for a malformed one. */
final class Options {

    private Options() {
    }

    static int intValue(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CamException(CamException.Kind.INVALID, "option '" + name + "' must be an integer, got '" + value
                    + "'", name, List.of());
        }
    }

    static double doubleValue(Map<String, String> options, String name, double fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new CamException(CamException.Kind.INVALID, "option '" + name + "' must be a number, got '" + value
                    + "'", name, List.of());
        }
    }
}
