package org.camkit.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A model the runtime knows about.
 *
 * @param name         its registered name
 * @param backend      the backend that loads it
 * @param descriptor   the descriptor file it was read from
 * @param inputWidth   input width in pixels
 * @param inputHeight  input height in pixels
 * @param labels       class labels by output index
 * @param defaultLayer the default target layer
 * @since 0.1
 */
public record ModelInfo(String name, String backend, Path descriptor, int inputWidth, int inputHeight,
        List<String> labels, String defaultLayer) {

    /** Copies. */
    public ModelInfo {
        labels = List.copyOf(labels);
    }
}
