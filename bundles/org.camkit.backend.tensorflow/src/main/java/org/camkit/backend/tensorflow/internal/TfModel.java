package org.camkit.backend.tensorflow.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputBackward;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerBackward;
import org.camkit.spi.LayerForward;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Randomisation;
import org.camkit.spi.Tensor;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/*
 * A TensorFlow graph and its session, explained through a Network. Every call is one Session run under the model's
 * read lock: TensorFlow sessions run concurrently; close waits for the runs, then releases session and graph.
 * Tensors cross the boundary as Java arrays in camkit's NCHW layout (Layout converts).
 */
final class TfModel implements LoadedModel {

    private final ModelDescriptor descriptor;
    private final Session session;
    private final Network network;
    private final Gradients gradients;
    private final String hint;
    private final ModelLock lock;
    private final Runnable release;
    /** Read from the graph when the model loads: layer names and static shapes; the layers that are the output. */
    private final ModelShapes shapes;
    private final Set<String> outputLayers = new HashSet<>();

    /**
     * Adds the gradient ops to the network's graph; the model then owns the session and graph ({@code release}
     * frees them). Call before the session runs from other threads.
     */
    TfModel(ModelDescriptor descriptor, Session session, Network network, String hint, Runnable release) {
        this.descriptor = descriptor;
        this.session = session;
        this.network = network;
        this.hint = hint;
        this.release = release;
        this.lock = new ModelLock(descriptor.name());
        List<Output<?>> targets = new ArrayList<>(network.layers().values());
        targets.add(network.input());
        network.biases().values().forEach(op -> targets.add(op.output(0)));
        this.gradients = Gradients.add(session.graph(), network.output(), targets);
        Map<String, long[]> layerShapes = new LinkedHashMap<>();
        network.layers().forEach((layer, tensor) -> {
            layerShapes.put(layer, staticShape(tensor));
            if (tensor.equals(network.output())) {
                outputLayers.add(layer);
            }
        });
        this.shapes = new ModelShapes(descriptor.name(), staticShape(network.input()), staticShape(network.output()),
                layerShapes);
        shapes.checkLabels(descriptor);
    }

    private long[] staticShape(Output<?> tensor) {
        return tensor.shape().isUnknown() ? null : network.layout().toCamkit(tensor.shape().asArray());
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<String> layers() {
        return shapes.layers();
    }

    @Override
    public Optional<LayerForward> layerForward() {
        return Optional.of(this::outputFrom);
    }

    @Override
    public Optional<LayerBackward> layerBackward() {
        return Optional.of(this::passFrom);
    }

    @Override
    public Optional<InputBackward> inputBackward() {
        return Optional.of((input, seed) -> backward(input, seed, false));
    }

    /** Present when the graph's biases are known ({@code BiasAdd} operations, no batch norm). */
    @Override
    public Optional<InputBackward> biasBackward() {
        return network.biases().isEmpty() ? Optional.empty()
                : Optional.of((input, seed) -> backward(input, seed, true));
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.ofNullable(network.head());
    }

    @Override
    public Optional<Randomisation> randomisation() {
        return SavedModels.ID.equals(descriptor.architecture()) ? TfRandomisation.of(descriptor, network)
                : Optional.empty();
    }

    /** @return the session the model runs in (its graph holds the model) */
    Session session() {
        return session;
    }

    @Override
    public String capabilityHint() {
        return hint;
    }

    @Override
    public ForwardPass forward(Tensor input, List<String> layers) {
        Set<String> capture = new LinkedHashSet<>(layers);
        shapes.checkLayers(capture);
        shapes.checkInput(input);
        return lock.run("forward pass on " + input, () -> {
            Session.Runner runner = session.runner();
            runner.fetch(network.output());
            // a layer that is the output is fetched once (TensorFlow refuses to fetch one tensor twice)
            capture.stream().filter(layer -> !outputLayers.contains(layer))
                    .forEach(layer -> runner.fetch(network.layers().get(layer)));
            try (TFloat32 x = TfTensors.toTf(network.layout().toGraph(input)); Result result = feedInput(runner, x)) {
                Tensor output = camkit(result, 0, "the output");
                Map<String, Tensor> activations = new LinkedHashMap<>();
                int i = 1;
                for (String layer : capture) {
                    activations.put(layer, outputLayers.contains(layer) ? output
                            : camkit(result, i++, "layer '" + layer + "'"));
                }
                return new TfForwardPass(descriptor.name(), input, output, activations, this::gradients);
            }
        });
    }

    /**
     * One run: the gradients of {@code sum(seed * output)} at the captured layers, for a pass's input. The pass's
     * activations are fed back at their layers (they hold the values the input gives there), so that TensorFlow
     * recomputes only what lies between the layers and the output, not the forward pass up to them.
     */
    private Map<String, Tensor> gradients(Tensor input, Map<String, Tensor> activations, Tensor seed) {
        return lock.run("back-propagation to " + activations.keySet(), () -> {
            Session.Runner runner = session.runner();
            List<String> fetched = new ArrayList<>();
            for (String layer : activations.keySet()) {
                Output<?> gradient = gradients.of(network.layers().get(layer));
                if (!gradients.isSeed(gradient)) {
                    runner.fetch(gradient);
                    fetched.add(layer);
                }
            }
            if (fetched.isEmpty()) { // every layer is the output: its gradient is the seed
                Map<String, Tensor> out = new LinkedHashMap<>();
                activations.keySet().forEach(layer -> out.put(layer, seed));
                return out;
            }
            List<TFloat32> fed = new ArrayList<>();
            try (TFloat32 x = TfTensors.toTf(network.layout().toGraph(input));
                    TFloat32 s = TfTensors.toTf(network.layout().toGraph(seed))) {
                Set<Output<?>> feeds = new HashSet<>(List.of(network.input(), network.output()));
                activations.forEach((layer, values) -> {
                    Output<?> tensor = network.layers().get(layer);
                    if (feeds.add(tensor)) {
                        TFloat32 a = TfTensors.toTf(network.layout().toGraph(values));
                        fed.add(a);
                        runner.feed(tensor, a);
                    }
                });
                try (Result result = feedInput(runner.feed(gradients.seed(), s), x)) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (String layer : activations.keySet()) {
                        int index = fetched.indexOf(layer);
                        out.put(layer, index < 0 ? seed : camkit(result, index, "the gradient at '" + layer + "'"));
                    }
                    return out;
                }
            } finally {
                fed.forEach(TFloat32::close);
            }
        });
    }

    private Tensor outputFrom(String layer, Tensor activations) {
        shapes.checkActivations(layer, activations);
        if (outputLayers.contains(layer)) {
            return activations;
        }
        return lock.run("forward pass from layer '" + layer + "' on " + activations, () -> {
            Output<?> tensor = network.layers().get(layer);
            try (TFloat32 a = TfTensors.toTf(network.layout().toGraph(activations));
                    Result result = session.runner().feed(tensor, a).fetch(network.output()).run()) {
                return camkit(result, 0, "the output");
            }
        });
    }

    /**
     * The output from given activations of a layer, and a pass that feeds them back at the layer to back-propagate:
     * the input is fed as zeros, which nothing after the layer reads ({@link #outputFrom} has already refused a graph
     * whose output also depends on the input past the layer).
     */
    private ForwardPass passFrom(String layer, Tensor activations) {
        Tensor output = outputFrom(layer, activations);
        int rows = activations.dim(0);
        int height = descriptor.inputHeight();
        int width = descriptor.inputWidth();
        Tensor zeros = Tensor.of(new float[rows * 3 * height * width], rows, 3, height, width);
        return new TfForwardPass(descriptor.name(), zeros, output, Map.of(layer, activations), this::gradients);
    }

    private InputGradients backward(Tensor input, Tensor seed, boolean biases) {
        shapes.checkInput(input);
        shapes.checkSeed(seed);
        return lock.run("back-propagation to the input", () -> {
            Session.Runner runner = session.runner();
            runner.fetch(network.output()).fetch(gradients.of(network.input()));
            List<String> names = biases ? List.copyOf(network.biases().keySet()) : List.of();
            int[] gradientAt = new int[names.size()];
            int[] biasAt = new int[names.size()];
            int fetched = 2;
            for (int i = 0; i < names.size(); i++) {
                GraphOperation op = network.biases().get(names.get(i));
                Output<?> gradient = gradients.of(op.output(0));
                gradientAt[i] = gradients.isSeed(gradient) ? -1 : fetched++;
                if (gradientAt[i] >= 0) {
                    runner.fetch(gradient);
                }
                biasAt[i] = fetched++;
                runner.fetch(op.input(1));
            }
            try (TFloat32 x = TfTensors.toTf(network.layout().toGraph(input));
                    TFloat32 s = TfTensors.toTf(network.layout().toGraph(seed));
                    Result result = feedInput(runner.feed(gradients.seed(), s), x)) {
                Map<String, Tensor> terms = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    Tensor g = gradientAt[i] < 0 ? network.layout().toGraph(seed)
                            : TfTensors.fromTf(result.get(gradientAt[i]), "the gradient at '" + name + "'");
                    Tensor bias = TfTensors.fromTf(result.get(biasAt[i]), "the bias of '" + name + "'");
                    terms.put(name, BiasTerms.of(bias, g, BiasTerms.channelsFirst(network.biases().get(name))));
                }
                return new InputGradients(camkit(result, 0, "the output"),
                        camkit(result, 1, "the input gradient"), terms);
            }
        });
    }

    @Override
    public void close() {
        lock.close(release);
    }

    private Result feedInput(Session.Runner runner, TFloat32 input) {
        return runner.feed(network.input(), input).run();
    }

    private Tensor camkit(Result result, int index, String what) {
        return network.layout().toCamkit(TfTensors.fromTf(result.get(index), what));
    }
}
