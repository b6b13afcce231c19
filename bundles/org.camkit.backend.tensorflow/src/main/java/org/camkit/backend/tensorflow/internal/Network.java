package org.camkit.backend.tensorflow.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.camkit.spi.LinearHead;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * A graph as camkit explains it: where the input enters, where the output leaves, the layers whose tensors can be
 * captured and fed, the {@code BiasAdd} operations that give FullGrad's bias terms, and a readable linear head.
 *
 * @param input  the input tensor (a placeholder), in {@code layout}
 * @param output the model output
 * @param layout how the graph lays out its 4-d tensors
 * @param layers camkit layer name to the tensor it captures, in network order
 * @param biases bias-term name to its {@code BiasAdd} operation, in network order; empty without bias gradients
 * @param head   the global-average-pool + linear head, or null
 */
record Network(Output<?> input, Output<?> output, Layout layout, Map<String, Output<?>> layers,
        Map<String, GraphOperation> biases, LinearHead head) {

    Network {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(layout, "layout");
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        biases = Collections.unmodifiableMap(new LinkedHashMap<>(biases));
    }
}
