package org.camkit.backend.tensorflow.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputBackward;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerBackward;
import org.camkit.spi.LayerForward;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/*
 * Descriptor "architecture": "keras": a SavedModel written by tools/camkit-export-tf (see its README for the
 * contract). A Keras / TF2 SavedModel hides its layers inside function calls, so nothing is fetched or fed by
 * operation name: each step is a Session run of the signatures cut at the layer (forward, features_L, head_L,
 * head_gradients_L, gradients_L, input_gradients), fed and fetched by the tensor names the signatures give. A pass
 * that captures layers runs the network once (features_L, then head_L of the deepest on its activations) and
 * back-propagates through the head only (head_gradients_L on the same activations); models exported without
 * head_gradients_L fall back to gradients_L, which runs the network again. The exported layers are the descriptor's
 * property "layers" (comma-separated, network order), each checked against the signatures at load. Calls run under
 * the model's read lock like TfModel's; tensors cross the boundary in camkit's NCHW order, each converted once.
 */
final class KerasModel implements LoadedModel {

    static final String ID = "keras";

    private static final String HINT = TfBackend.GUIDED_HINT + "; a Keras SavedModel's signatures give no bias "
            + "gradients (FullGrad) and no linear head (use a TF1-style graph, architecture 'savedmodel', for those)";

    private final ModelDescriptor descriptor;
    private final Session session;
    private final Layout layout;
    private final KerasSignatures signatures;
    private final ModelShapes shapes;
    private final ModelLock lock;
    private final Runnable release;

    private KerasModel(ModelDescriptor descriptor, Session session, Layout layout, KerasSignatures signatures,
            Runnable release) {
        this.descriptor = descriptor;
        this.session = session;
        this.layout = layout;
        this.signatures = signatures;
        this.release = release;
        this.lock = new ModelLock(descriptor.name());
        Map<String, long[]> layerShapes = new LinkedHashMap<>();
        signatures.layers().forEach(layer -> layerShapes.put(layer, camkitShape(signatures.activationsShape(layer))));
        this.shapes = new ModelShapes(descriptor.name(), camkitShape(signatures.inputShape()),
                camkitShape(signatures.outputShape()), layerShapes);
        shapes.checkLabels(descriptor);
    }

    /**
     * Loads the descriptor's SavedModel, checks its signatures against the exported layers and runs it once.
     *
     * @throws CamException if the directory is not a SavedModel, a signature is missing or malformed, or the model
     *                      does not run at the descriptor's size
     */
    static KerasModel load(ModelDescriptor descriptor) {
        Layout layout = Layout.parse(descriptor.properties().get("layout"), descriptor.name());
        List<String> layers = layers(descriptor);
        SavedModelBundle bundle = SavedModels.open(descriptor);
        try {
            KerasSignatures signatures = KerasSignatures.of(descriptor, bundle.signatures(), layers);
            KerasModel model = new KerasModel(descriptor, bundle.session(), layout, signatures, bundle::close);
            SavedModels.tryOnce(model, descriptor);
            return model;
        } catch (RuntimeException e) {
            bundle.close();
            throw e instanceof CamException ce ? ce : new CamException("model '" + descriptor.name() + "': cannot "
                    + "prepare Keras SavedModel " + descriptor.file() + ": " + e.getMessage(), e);
        }
    }

    /** @return the property {@code layers}, or the default layer alone; the default layer must be among them */
    private static List<String> layers(ModelDescriptor descriptor) {
        List<String> layers = SavedModels.list(descriptor.properties().getOrDefault("layers", ""));
        String defaultLayer = descriptor.defaultLayer();
        if (layers.isEmpty() && !defaultLayer.isBlank()) {
            return List.of(defaultLayer);
        }
        if (layers.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "': a Keras descriptor needs the property "
                    + "\"layers\" (the exported layers, comma-separated) or a defaultLayer; tools/camkit-export-tf "
                    + "writes both");
        }
        if (!defaultLayer.isBlank() && !layers.contains(defaultLayer)) {
            throw new CamException("model '" + descriptor.name() + "': defaultLayer '" + defaultLayer + "' is not "
                    + "among its \"layers\" " + layers + "; add it or choose one of them");
        }
        return layers;
    }

    private long[] camkitShape(long[] graphShape) {
        return graphShape == null ? null : layout.toCamkit(graphShape);
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

    /** Present when every layer has its head_gradients_L signature (the export tool writes them). */
    @Override
    public Optional<LayerBackward> layerBackward() {
        return shapes.layers().stream().allMatch(layer -> signatures.headGradients(layer) != null)
                ? Optional.of(this::passFrom) : Optional.empty();
    }

    @Override
    public Optional<InputBackward> inputBackward() {
        return Optional.of(this::backward);
    }

    @Override
    public String capabilityHint() {
        return HINT;
    }

    /**
     * Without captured layers one run of signature forward; else one run of features_L for each captured layer, then
     * head_L of the deepest of them on its activations for the output (still native: nothing is copied back).
     */
    @Override
    public ForwardPass forward(Tensor input, List<String> layers) {
        Set<String> capture = new LinkedHashSet<>(layers);
        shapes.checkLayers(capture);
        shapes.checkInput(input);
        return lock.run("forward pass on " + input, () -> {
            Tensor graphInput = layout.toGraph(input);
            try (TFloat32 x = TfTensors.toTf(graphInput)) {
                if (capture.isEmpty()) {
                    KerasSignatures.Endpoint forward = signatures.forward();
                    try (Result result = session.runner().feed(forward.input("x"), x)
                            .fetch(forward.output("output")).run()) {
                        return new TfForwardPass(descriptor.name(), input, camkit(result, 0, "the output"), Map.of(),
                                (passInput, passActivations, seed) -> Map.of());
                    }
                }
                Session.Runner runner = session.runner();
                for (String layer : capture) {
                    KerasSignatures.Endpoint features = signatures.features(layer);
                    runner.feed(features.input("x"), x).fetch(features.output("activations"));
                }
                // the deepest captured layer's head is the shortest way to the output
                List<String> captured = List.copyOf(capture);
                List<String> order = shapes.layers();
                String deepest = captured.stream().max(Comparator.comparingInt(order::indexOf)).orElseThrow();
                KerasSignatures.Endpoint head = signatures.head(deepest);
                try (Result result = runner.run()) {
                    Map<String, Tensor> graphActivations = new LinkedHashMap<>();
                    Map<String, Tensor> activations = new LinkedHashMap<>();
                    int i = 0;
                    for (String layer : capture) {
                        Tensor graph = TfTensors.fromTf(result.get(i++), "layer '" + layer + "'");
                        graphActivations.put(layer, graph);
                        activations.put(layer, layout.toCamkit(graph));
                    }
                    try (Result out = session.runner().feed(head.input("a"), result.get(captured.indexOf(deepest)))
                            .fetch(head.output("output")).run()) {
                        return new TfForwardPass(descriptor.name(), input, camkit(out, 0, "the output"), activations,
                                (passInput, passActivations, seed) -> gradients(graphInput, graphActivations, seed));
                    }
                }
            }
        });
    }

    /**
     * One run: for each layer, head_gradients_L on the pass's activations (graph layout, as fetched) and the seed;
     * where the model has no head_gradients_L, gradients_L on the pass's input (graph layout) and the seed.
     */
    private Map<String, Tensor> gradients(Tensor graphInput, Map<String, Tensor> graphActivations, Tensor seed) {
        Set<String> layers = graphActivations.keySet();
        return lock.run("back-propagation to " + layers, () -> {
            List<TFloat32> fed = new ArrayList<>();
            try {
                TFloat32 s = fed(fed, layout.toGraph(seed));
                TFloat32 x = null;
                Session.Runner runner = session.runner();
                for (String layer : layers) {
                    KerasSignatures.Endpoint headGradients = signatures.headGradients(layer);
                    if (headGradients != null) {
                        runner.feed(headGradients.input("a"), fed(fed, graphActivations.get(layer)))
                                .feed(headGradients.input("seed"), s).fetch(headGradients.output("gradients"));
                    } else {
                        KerasSignatures.Endpoint gradients = signatures.gradients(layer);
                        x = x == null ? fed(fed, graphInput) : x;
                        runner.feed(gradients.input("x"), x).feed(gradients.input("seed"), s)
                                .fetch(gradients.output("gradients"));
                    }
                }
                try (Result result = runner.run()) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    int i = 0;
                    for (String layer : layers) {
                        out.put(layer, camkit(result, i++, "the gradient at '" + layer + "'"));
                    }
                    return out;
                }
            } finally {
                fed.forEach(TFloat32::close);
            }
        });
    }

    /** @return the tensor as a native one, added to {@code fed} (the caller closes them) */
    private static TFloat32 fed(List<TFloat32> fed, Tensor tensor) {
        TFloat32 copy = TfTensors.toTf(tensor);
        fed.add(copy);
        return copy;
    }

    /** Signature head_L on the activations. */
    private Tensor outputFrom(String layer, Tensor activations) {
        shapes.checkActivations(layer, activations);
        return lock.run("forward pass from layer '" + layer + "' on " + activations, () -> {
            KerasSignatures.Endpoint head = signatures.head(layer);
            try (TFloat32 a = TfTensors.toTf(layout.toGraph(activations));
                    Result result = session.runner().feed(head.input("a"), a).fetch(head.output("output")).run()) {
                return camkit(result, 0, "the output");
            }
        });
    }

    /** Signature head_L for the output; head_gradients_L on the same activations for the gradients. */
    private ForwardPass passFrom(String layer, Tensor activations) {
        Tensor output = outputFrom(layer, activations);
        Map<String, Tensor> graph = Map.of(layer, layout.toGraph(activations));
        return new TfForwardPass(descriptor.name(), activations, output, Map.of(layer, activations),
                (passInput, passActivations, seed) -> gradients(null, graph, seed));
    }

    /** Signature input_gradients. */
    private InputGradients backward(Tensor input, Tensor seed) {
        shapes.checkInput(input);
        shapes.checkSeed(seed);
        return lock.run("back-propagation to the input", () -> {
            KerasSignatures.Endpoint gradients = signatures.inputGradients();
            try (TFloat32 x = TfTensors.toTf(layout.toGraph(input));
                    TFloat32 s = TfTensors.toTf(layout.toGraph(seed));
                    Result result = session.runner().feed(gradients.input("x"), x).feed(gradients.input("seed"), s)
                            .fetch(gradients.output("output")).fetch(gradients.output("gradients")).run()) {
                return new InputGradients(camkit(result, 0, "the output"), camkit(result, 1, "the input gradient"),
                        Map.of());
            }
        });
    }

    @Override
    public void close() {
        lock.close(release);
    }

    private Tensor camkit(Result result, int index, String what) {
        return layout.toCamkit(TfTensors.fromTf(result.get(index), what));
    }
}
