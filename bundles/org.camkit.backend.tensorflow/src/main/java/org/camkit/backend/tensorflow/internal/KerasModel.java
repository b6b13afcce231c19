package org.camkit.backend.tensorflow.internal;

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
import org.camkit.spi.LayerForward;
import org.camkit.spi.LinearHead;
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
 * operation name: each step is one Session run of the signatures cut at the layer (forward, features_L, head_L,
 * gradients_L, input_gradients), fed and fetched by the tensor names the signatures give. The exported layers are the
 * descriptor's property "layers" (comma-separated, network order), each checked against the signatures at load.
 * Calls run under the model's read lock like TfModel's; tensors cross the boundary in camkit's NCHW order.
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

    @Override
    public Optional<InputBackward> inputBackward() {
        return Optional.of(this::backward);
    }

    /** Absent: a Keras SavedModel's signatures give no bias terms. */
    @Override
    public Optional<InputBackward> biasBackward() {
        return Optional.empty();
    }

    /** Absent: TensorFlow's registered ReLU gradient cannot be swapped for the guided rule. */
    @Override
    public Optional<InputBackward> guidedBackward() {
        return Optional.empty();
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.empty();
    }

    @Override
    public String capabilityHint() {
        return HINT;
    }

    /** One run: signature forward for the output, and features_L for each captured layer. */
    @Override
    public ForwardPass forward(Tensor input, List<String> layers) {
        Set<String> capture = new LinkedHashSet<>(layers);
        shapes.checkLayers(capture);
        shapes.checkInput(input);
        return lock.run("forward pass on " + input, () -> {
            try (TFloat32 x = TfTensors.toTf(layout.toGraph(input))) {
                Session.Runner runner = session.runner();
                KerasSignatures.Endpoint forward = signatures.forward();
                runner.feed(forward.input("x"), x).fetch(forward.output("output"));
                for (String layer : capture) {
                    KerasSignatures.Endpoint features = signatures.features(layer);
                    runner.feed(features.input("x"), x).fetch(features.output("activations"));
                }
                try (Result result = runner.run()) {
                    Tensor output = camkit(result, 0, "the output");
                    Map<String, Tensor> activations = new LinkedHashMap<>();
                    int i = 1;
                    for (String layer : capture) {
                        activations.put(layer, camkit(result, i++, "layer '" + layer + "'"));
                    }
                    return new TfForwardPass(descriptor.name(), input, output, activations, this::gradients);
                }
            }
        });
    }

    /** One run: signature gradients_L for each captured layer, fed the pass's input and the seed. */
    private Map<String, Tensor> gradients(Tensor input, Map<String, Tensor> activations, Tensor seed) {
        Set<String> layers = activations.keySet();
        return lock.run("back-propagation to " + layers, () -> {
            try (TFloat32 x = TfTensors.toTf(layout.toGraph(input));
                    TFloat32 s = TfTensors.toTf(layout.toGraph(seed))) {
                Session.Runner runner = session.runner();
                for (String layer : layers) {
                    KerasSignatures.Endpoint gradients = signatures.gradients(layer);
                    runner.feed(gradients.input("x"), x).feed(gradients.input("seed"), s)
                            .fetch(gradients.output("gradients"));
                }
                try (Result result = runner.run()) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    int i = 0;
                    for (String layer : layers) {
                        out.put(layer, camkit(result, i++, "the gradient at '" + layer + "'"));
                    }
                    return out;
                }
            }
        });
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
