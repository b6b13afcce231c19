package org.camkit.bench.internal;

import java.util.List;
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

    String layerOr(String defaultLayer) {
        return layer.isBlank() ? defaultLayer : layer;
    }
}
