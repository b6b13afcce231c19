package org.camkit.backend.tensorflow.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Randomisation;
import org.camkit.spi.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The sanity check's re-initialisation for a TF1-style SavedModel: a layer's weights are the {@code VariableV2}
 * variables reached from its operation going back through its inputs, up to the previous layer or the input. A copy
 * is the SavedModel loaded again, its variables of the chosen layers assigned values drawn by
 * {@link Randomisation#redrawn}. Frozen graphs (constants) and Keras models have none.
 */
final class TfRandomisation implements Randomisation {

    private final ModelDescriptor descriptor;
    private final Map<String, List<String>> variables;

    private TfRandomisation(ModelDescriptor descriptor, Map<String, List<String>> variables) {
        this.descriptor = descriptor;
        this.variables = variables;
    }

    /**
     * @param descriptor the model's descriptor (a {@code savedmodel}: the copies load from it)
     * @param network    the model's graph tensors
     * @return the role, or empty when no layer reads a variable
     */
    static Optional<Randomisation> of(ModelDescriptor descriptor, Network network) {
        Set<GraphOperation> stops = new HashSet<>();
        stops.add((GraphOperation) network.input().op());
        network.layers().values().forEach(o -> stops.add((GraphOperation) o.op()));
        Map<String, List<String>> variables = new LinkedHashMap<>();
        network.layers().forEach((layer, output) -> {
            List<String> found = new ArrayList<>();
            Deque<GraphOperation> todo = new ArrayDeque<>();
            Set<GraphOperation> seen = new HashSet<>();
            GraphOperation start = (GraphOperation) output.op();
            for (Operand<?> in : start.inputs()) {
                todo.add((GraphOperation) in.op());
            }
            while (!todo.isEmpty()) {
                GraphOperation op = todo.pop();
                if (stops.contains(op) || !seen.add(op)) {
                    continue;
                }
                if (op.type().equals("VariableV2")) {
                    found.add(op.name());
                    continue;
                }
                for (Operand<?> in : op.inputs()) {
                    todo.add((GraphOperation) in.op());
                }
            }
            if (!found.isEmpty()) {
                found.sort(null);
                variables.put(layer, found);
            }
        });
        return variables.isEmpty() ? Optional.empty() : Optional.of(new TfRandomisation(descriptor, variables));
    }

    @Override
    public List<String> layers() {
        return List.copyOf(variables.keySet());
    }

    @Override
    public LoadedModel randomised(List<String> layers, long seed) {
        for (String layer : layers) {
            if (!variables.containsKey(layer)) {
                throw new CamException("model '" + descriptor.name() + "' has no weighted layer '" + layer
                        + "'; its weighted layers: " + layers());
            }
        }
        TfModel copy = SavedModels.load(descriptor);
        try {
            Session session = copy.session();
            Graph graph = session.graph();
            Ops tf = Ops.create(graph);
            Random random = new Random(seed);
            for (Map.Entry<String, List<String>> layer : variables.entrySet()) {
                // one seed per layer in network order, so that a layer's draws do not depend on the others chosen
                Random draws = new Random(random.nextLong());
                if (!layers.contains(layer.getKey())) {
                    continue;
                }
                for (String name : layer.getValue()) {
                    Tensor trained;
                    try (Result result = session.runner().fetch(name).run()) {
                        trained = TfTensors.fromTf(result.get(0), "variable " + name);
                    }
                    float[] values = Randomisation.redrawn(trained.toArray(), draws);
                    long[] shape = Arrays.stream(trained.shape()).asLongStream().toArray();
                    Output<TFloat32> variable = graph.operation(name).<TFloat32>output(0);
                    session.runner().addTarget(tf.assign(variable,
                            tf.constant(Shape.of(shape), DataBuffers.of(values)))).run().close();
                }
            }
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e instanceof CamException ? e : new CamException("model '" + descriptor.name() + "': cannot"
                    + " re-initialise layers " + layers + ": " + e.getMessage(), e);
        }
    }
}
