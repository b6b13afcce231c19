package org.camkit.method.agnostic.internal;

import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;

/** Reads the options the model-agnostic methods share; errors name the method, the option and the valid values. */
final class CoalitionOptions {

    static final String SEGMENTS = "segments";
    static final String SAMPLES = "samples";
    static final String BATCH_SIZE = "batch-size";
    static final String SEED = "seed";
    static final int DEFAULT_BATCH = 32;

    private CoalitionOptions() {
    }

    /** @return the integer option, in {@code [min, max]} */
    static int between(LayerData data, String method, String name, int fallback, int min, int max) {
        int value = data.intOption(name, fallback);
        if (value < min || value > max) {
            throw new CamException(CamException.Kind.INVALID, "method '" + method + "': option '" + name
                    + "' must be "
                    + (max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max)
                    + ", got " + value, name, List.of());
        }
        return value;
    }

    /** @return the {@code seed} option, a whole number (default 0) */
    static long seed(LayerData data, String method) {
        String given = data.options().getOrDefault(SEED, "0").trim();
        try {
            return Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw new CamException(CamException.Kind.INVALID, "method '" + method + "': option '" + SEED
                    + "' must be a whole number, got '" + given + "'", SEED, List.of());
        }
    }
}
