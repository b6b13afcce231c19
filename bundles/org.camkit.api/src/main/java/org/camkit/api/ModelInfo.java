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
 * @param detector     whether it is a detector ({@code "task": "detection"}: {@link Explainer#detect}, the
 *                     {@code detection} target) (since 0.6)
 * @since 0.1
 */
public record ModelInfo(String name, String backend, Path descriptor, int inputWidth, int inputHeight,
        List<String> labels, String defaultLayer, boolean detector) {

    /** Copies. */
    public ModelInfo {
        labels = List.copyOf(labels);
    }

    /**
     * A model that is not a detector.
     *
     * @param name         its registered name
     * @param backend      the backend that loads it
     * @param descriptor   the descriptor file
     * @param inputWidth   input width
     * @param inputHeight  input height
     * @param labels       class labels
     * @param defaultLayer the default target layer
     */
    public ModelInfo(String name, String backend, Path descriptor, int inputWidth, int inputHeight,
            List<String> labels, String defaultLayer) {
        this(name, backend, descriptor, inputWidth, inputHeight, labels, defaultLayer, false);
    }
}
