package org.camkit.backend.tensorflow.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/*
 * Descriptor "architecture": "savedmodel": a TF1-style SavedModel directory ("file") whose graph camkit reads by
 * operation name; "frozen": a frozen GraphDef file (.pb,
         variables folded into constants) read the same way. Properties: "input" and "output" (operation names,
                 "name" or "name:index"), "layers" (comma-
 * separated operation names, in network order; default: the defaultLayer), "layout" (NHWC, the default, or NCHW),
 * "tags" (comma-separated meta graph tags, default "serve"). The model runs once on zeros when it loads.
 */
final class SavedModels {

    static final String ID = "savedmodel";
    static final String FROZEN = "frozen";

    private SavedModels() {
    }

    static TfModel load(ModelDescriptor descriptor) {
        SavedModelBundle bundle = open(descriptor);
        return fromGraph(descriptor, bundle.graph(), bundle.session(), bundle::close);
    }

    /** A frozen GraphDef file ({@code file}): the graph with its weights as constants, read by operation name. */
    static TfModel loadFrozen(ModelDescriptor descriptor) {
        Frozen frozen = openFrozen(descriptor);
        return fromGraph(descriptor, frozen.graph(), frozen.session(), frozen::close);
    }

    /** A frozen graph and its session, closed together. */
    record Frozen(Graph graph, Session session) implements AutoCloseable {
        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    /**
     * @return the frozen graph of {@code file} with a session on it that has the threads
     *         {@link TensorFlowRuntime#THREADS_PROPERTY} asks for, which the caller closes
     * @throws CamException if the file is missing or not a GraphDef, or the property is malformed (checked before
     *                      any graph exists)
     */
    static Frozen openFrozen(ModelDescriptor descriptor) {
        ConfigProto config = TensorFlowRuntime.sessionConfig();
        Graph graph = readFrozen(descriptor);
        return new Frozen(graph, config == null ? new Session(graph) : new Session(graph, config));
    }

    /**
     * @return the graph of a frozen GraphDef file ({@code file}), which the caller closes
     * @throws CamException if the file is missing or not a GraphDef
     */
    private static Graph readFrozen(ModelDescriptor descriptor) {
        Path file = descriptor.file();
        if (!Files.isRegularFile(file)) {
            throw new CamException("model '" + descriptor.name() + "': frozen graph " + file + " does not exist; "
                    + "point \"file\" at the GraphDef (.pb) file");
        }
        Graph graph = new Graph();
        try {
            graph.importGraphDef(org.tensorflow.proto.GraphDef.parseFrom(Files.readAllBytes(file)));
        } catch (java.io.IOException | RuntimeException e) {
            graph.close();
            throw new CamException("model '" + descriptor.name() + "': " + file + " is not a readable frozen "
                    + "TensorFlow graph (a serialized GraphDef): " + e.getMessage(), e);
        }
        return graph;
    }

    private static TfModel fromGraph(ModelDescriptor descriptor, Graph graph, Session session, Runnable closer) {
        String name = descriptor.name();
        Path dir = descriptor.file();
        Layout layout;
        String input;
        String output;
        List<String> layers;
        try {
            layout = Layout.parse(descriptor.properties().get("layout"), name);
            input = required(descriptor, "input");
            output = required(descriptor, "output");
            layers = layers(descriptor);
        } catch (RuntimeException e) {
            closer.run();
            throw e;
        }
        try {
            Map<String, Output<?>> outputs = resolve(descriptor, graph, input, output, layers);
            Output<?> in = outputs.remove(input);
            Output<?> out = outputs.remove(output);
            Map<String, Output<?>> layerOutputs = new LinkedHashMap<>();
            layers.forEach(layer -> layerOutputs.put(layer, layer.equals(input) ? in : layer.equals(output) ? out
                    : outputs.get(layer)));
            Set<GraphOperation> path = between(graph, in, out);
            Map<String, GraphOperation> biases = biases(graph, path);
            String hint = TfBackend.GUIDED_HINT + (biases.isEmpty() ? "; bias gradients (FullGrad) need a graph "
                    + "whose biases are all BiasAdd operations, without batch norm" : "");
            TfModel model = new TfModel(descriptor, session,
                    new Network(in, out, layout, layerOutputs, biases, null), hint, closer);
            tryOnce(model, descriptor);
            return model;
        } catch (CamException e) {
            closer.run();
            throw e;
        } catch (RuntimeException e) {
            closer.run();
            throw new CamException("model '" + name + "': cannot prepare the graph of " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Loads the descriptor's SavedModel directory ({@code file}) with its meta graph tags (property {@code tags},
     * comma-separated, default {@code serve}).
     *
     * @return the bundle, which the caller closes
     * @throws CamException if the directory is missing, holds no SavedModel, or does not load
     */
    static SavedModelBundle open(ModelDescriptor descriptor) {
        String name = descriptor.name();
        Path dir = descriptor.file();
        if (!Files.isDirectory(dir)) {
            throw new CamException("model '" + name + "': SavedModel directory " + dir + " does not exist; point "
                    + "\"file\" at the directory that holds saved_model.pb");
        }
        if (!Files.isRegularFile(dir.resolve("saved_model.pb")) && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
            throw new CamException("model '" + name + "': " + dir + " holds no saved_model.pb: it is not a "
                    + "SavedModel directory");
        }
        String[] tags = list(descriptor.properties().getOrDefault("tags", SavedModelBundle.DEFAULT_TAG))
                .toArray(String[]::new);
        ConfigProto config = TensorFlowRuntime.sessionConfig(); // a malformed setting is its own error
        try {
            SavedModelBundle.Loader loader = SavedModelBundle.loader(dir.toString()).withTags(tags);
            return (config == null ? loader : loader.withConfigProto(config)).load();
        } catch (RuntimeException e) {
            throw new CamException("model '" + name + "': cannot load SavedModel " + dir + " with tags "
                    + Arrays.toString(tags) + ": " + e.getMessage(), e);
        }
    }

    static String required(ModelDescriptor descriptor, String property) {
        String value = descriptor.properties().get(property);
        if (value == null || value.isBlank()) {
            throw new CamException("model '" + descriptor.name() + "': a SavedModel descriptor needs the property \""
                    + property + "\" (an operation name); it has " + descriptor.properties().keySet());
        }
        return value.trim();
    }

    private static List<String> layers(ModelDescriptor descriptor) {
        List<String> layers = list(descriptor.properties().getOrDefault("layers", ""));
        String defaultLayer = descriptor.defaultLayer();
        if (layers.isEmpty() && !defaultLayer.isBlank()) {
            return List.of(defaultLayer);
        }
        if (layers.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "': a SavedModel descriptor needs the property "
                    + "\"layers\" (comma-separated operation names) or a defaultLayer");
        }
        if (!defaultLayer.isBlank() && !layers.contains(defaultLayer)) {
            throw new CamException("model '" + descriptor.name() + "': defaultLayer '" + defaultLayer + "' is not "
                    + "among its \"layers\" " + layers + "; add it or choose one of them");
        }
        return layers;
    }

    static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static Map<String, Output<?>> resolve(ModelDescriptor descriptor, Graph graph, String input,
            String output, List<String> layers) {
        Map<String, Output<?>> outputs = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(input, output));
        names.addAll(layers);
        for (String name : names) {
            Output<?> tensor = outputOf(graph, name);
            if (tensor == null) {
                unknown.add(name);
            } else {
                outputs.put(name, tensor);
            }
        }
        if (!unknown.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "': the SavedModel's graph has no operation "
                    + unknown + "; check \"input\", \"output\" and \"layers\" (operation names, optionally with "
                    + ":index; list them with saved_model_cli show --all)");
        }
        return outputs;
    }

    /** @return the tensor {@code name} ({@code op} or {@code op:index}) of the graph, or null if there is none */
    static Output<?> outputOf(Graph graph, String name) {
        try {
            Output<?> tensor = graph.output(name);
            return tensor != null && tensor.index() < tensor.op().numOutputs() ? tensor : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the operations that depend on {@code input} and that {@code output} depends on */
    static Set<GraphOperation> between(Graph graph, Output<?> input, Output<?> output) {
        Set<GraphOperation> downstream = new HashSet<>();
        Deque<GraphOperation> todo = new ArrayDeque<>(List.of((GraphOperation) input.op()));
        while (!todo.isEmpty()) {
            GraphOperation op = todo.pop();
            if (downstream.add(op)) {
                todo.addAll(op.consumers());
            }
        }
        Set<GraphOperation> path = new HashSet<>();
        todo.add((GraphOperation) output.op());
        while (!todo.isEmpty()) {
            GraphOperation op = todo.pop();
            if (downstream.contains(op) && path.add(op)) {
                for (Operand<?> operand : op.inputs()) {
                    todo.add((GraphOperation) operand.op());
                }
            }
        }
        return path;
    }

    /**
     * @return the BiasAdd operations on the path, in graph order, when they are all the graph's biases there
     *         (no batch norm, 2-d or 4-d outputs); else empty
     */
    private static Map<String, GraphOperation> biases(Graph graph, Set<GraphOperation> path) {
        Map<String, GraphOperation> biases = new LinkedHashMap<>();
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext();) {
            GraphOperation op = it.next();
            if (!path.contains(op)) {
                continue;
            }
            if (op.type().startsWith("FusedBatchNorm")) {
                return Map.of();
            }
            if ("BiasAdd".equals(op.type())) {
                if (op.output(0).shape().isUnknown() || !BiasTerms.supports(op.output(0).shape().numDimensions())) {
                    return Map.of();
                }
                biases.put(op.name(), op);
            }
        }
        return biases;
    }

    /** Runs the model once on zeros, so that a wrong size or layer fails at load, naming the model. */
    static void tryOnce(LoadedModel model, ModelDescriptor descriptor) {
        int h = descriptor.inputHeight();
        int w = descriptor.inputWidth();
        Tensor zeros = Tensor.copyOf(new float[3 * h * w], new int[] {1, 3, h, w});
        try (ForwardPass pass = model.forward(zeros, model.layers())) {
            pass.output();
        } catch (CamException e) {
            throw new CamException("model '" + descriptor.name() + "' does not run on a " + w + "x" + h + " input "
                    + "(width x height from the descriptor): " + e.getMessage(), e);
        }
    }
}
