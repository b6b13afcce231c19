package org.camkit.bench.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camkit.api.CamException;

/**
 * What cam:bench runs, whatever the mode.
 *
 * @param size           input width and height in pixels, or 0 for the model's own (square) size
 * @param iterations     measured iterations (rounds)
 * @param warmup         iterations before those, not measured
 * @param layer          the target layer, or empty for the model's default layer
 * @param methods        the methods to time, in order (empty: none)
 * @param batchSizes     the values of the option batch-size swept for the batched methods
 * @param slowIterations measured runs of a slow method (--methods), or of each batched method per model (twin)
 */
record Settings(int size, int iterations, int warmup, String layer, List<String> methods, List<Integer> batchSizes,
        int slowIterations) {

    Settings {
        methods = List.copyOf(methods);
        batchSizes = List.copyOf(batchSizes);
        if ((size != 0 && size < 8) || iterations < 1 || warmup < 0 || slowIterations < 1) {
            throw new CamException("cam:bench needs --size >= 8 (or 0 for the model's own size), --iterations >= 1, "
                    + "--warmup >= 0 and --slow-iterations >= 1; got size " + size + ", iterations " + iterations
                    + ", warmup " + warmup + ", slow iterations " + slowIterations);
        }
    }

    /**
     * @param spec    comma-separated positive integers, e.g. {@code 8,16,32,64}
     * @param option  the option that gave them, for the error
     * @param example a valid value, for the error
     * @return the numbers, each at least 1, in the given order, without repeats
     */
    static List<Integer> positives(String spec, String option, String example) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                int value = Integer.parseInt(part.trim());
                if (value < 1) {
                    throw new NumberFormatException();
                }
                out.add(value);
            } catch (NumberFormatException e) {
                throw new CamException("cam:bench: " + option + " must be positive integers separated by commas, e.g. "
                        + example + "; got '" + spec + "'", e);
            }
        }
        if (out.isEmpty()) {
            throw new CamException("cam:bench: " + option + " is empty; give e.g. " + example);
        }
        return List.copyOf(out);
    }

    String layerOr(String defaultLayer) {
        return layer.isBlank() ? defaultLayer : layer;
    }
}
