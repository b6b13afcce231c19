package org.camkit.backend.tensorflow.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

/*
 * What a model's calls are checked against before TensorFlow runs: its layer names and the static shapes, in camkit's
 * NCHW order, of its input, output and each layer (-1 where any size goes, null where the rank is unknown). Read from
 * the graph or the signatures when the model loads, so that checks need no open graph.
 */
final class ModelShapes {

    private final String model;
    private final long[] input;
    private final long[] output;
    private final Map<String, long[]> layers;

    /**
     * @param model  the model's name, for errors
     * @param input  the input's shape, or null
     * @param output the output's shape, or null
     * @param layers each layer's shape (or null), in network order
     */
    ModelShapes(String model, long[] input, long[] output, Map<String, long[]> layers) {
        this.model = model;
        this.input = input;
        this.output = output;
        this.layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /**
     * @param descriptor the model's descriptor
     * @throws CamException if the output (its static axes after the batch) does not fit the descriptor: its labels,
     *                      or a detector's layout
     */
    void checkLabels(ModelDescriptor descriptor) {
        if (output != null && output.length >= 2) {
            descriptor.checkOutput(java.util.Arrays.copyOfRange(output, 1, output.length));
        }
    }

    /** @return the layer names, in network order */
    List<String> layers() {
        return List.copyOf(layers.keySet());
    }

    /** @throws CamException naming the unknown layers and the known ones */
    void checkLayers(Set<String> names) {
        List<String> unknown = new ArrayList<>(names);
        unknown.removeAll(layers.keySet());
        if (!unknown.isEmpty()) {
            throw new CamException("model '" + model + "' has no layer " + unknown + "; its layers are "
                    + layers.keySet());
        }
    }

    /** @throws CamException unless {@code tensor} is an image batch {@code [N, 3, H, W]} of the model's size */
    void checkInput(Tensor tensor) {
        check(tensor, input, "input " + tensor, "preprocess images to the descriptor's size");
        if (tensor.rank() != 4 || tensor.dim(1) != 3) {
            throw new CamException("model '" + model + "' needs input [N, 3, H, W], got " + tensor);
        }
    }

    /** @throws CamException unless {@code tensor} is shaped like the layer's activations */
    void checkActivations(String layer, Tensor tensor) {
        checkLayers(Set.of(layer));
        check(tensor, layers.get(layer), "activations for layer '" + layer + "'",
                "pass activations captured at that layer");
    }

    /** @throws CamException unless {@code seed} is shaped like the output */
    void checkSeed(Tensor seed) {
        check(seed, output, "gradient seed " + seed, "give it the output's shape");
    }

    /** Checks a tensor against a static shape, where it is known (batch aside). */
    private void check(Tensor tensor, long[] known, String what, String fix) {
        if (known == null) {
            return;
        }
        boolean matches = known.length == tensor.rank();
        for (int i = 1; matches && i < known.length; i++) {
            matches = known[i] < 0 || known[i] == tensor.dim(i);
        }
        if (!matches) {
            String expected = Arrays.toString(known).replace("-1", "?");
            throw new CamException("model '" + model + "': " + what + " must be shaped " + expected
                    + " (camkit's NCHW order, ? = any); " + fix);
        }
    }
}
