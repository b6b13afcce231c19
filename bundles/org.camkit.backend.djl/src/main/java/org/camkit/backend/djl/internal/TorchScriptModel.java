package org.camkit.backend.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputBackward;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerBackward;
import org.camkit.spi.LayerForward;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.TokenGrid;

/*
 * A TorchScript model under camkit's export contract (descriptor "architecture": "torchscript"): forward(x), and per
 * exported layer L the methods features_L(x) and head_L(a). A captured layer's activations are a gradient leaf
 * a = features_L(x), and its own head_L(a) gives the output and carries the seed back to it. Token activations
 * [N, T, D] are shown as the descriptor's token grid [N, D, h, w]. A file without the split still explains with
 * input gradients only.
 */
final class TorchScriptModel implements LoadedModel {

    /** The descriptor architecture of TorchScript models. */
    static final String ARCHITECTURE = "torchscript";
    private static final List<String> EXTENSIONS = List.of(".pt", ".pth", ".torchscript");
    private static final String EXPORT_HINT = "export it with tools/camkit-export (python "
            + "tools/camkit-export/camkit_export.py --factory ... --layer <module path>) so it has features_<layer> "
            + "and head_<layer> methods";
    /** How far head_L(features_L(x)) may be from forward(x), relative to the output's largest magnitude. */
    private static final float SPLIT_TOLERANCE = 1e-3f;

    private final ModelDescriptor descriptor;
    private final NDManager manager;
    private final TorchScriptModule module;
    private final List<String> layers;
    /** Per layer, its raw activation shape for one image (without the batch axis). */
    private final Map<String, long[]> rawShapes;
    private final long[] outputShape;
    private final boolean fromLayer;
    private final String hint;
    private final ModelLock lock;

    private TorchScriptModel(ModelDescriptor descriptor, NDManager manager, TorchScriptModule module,
            List<String> layers, Map<String, long[]> rawShapes, long[] outputShape) {
        this.descriptor = descriptor;
        this.manager = manager;
        this.module = module;
        this.layers = layers;
        this.rawShapes = Map.copyOf(rawShapes);
        this.outputShape = outputShape;
        this.lock = new ModelLock(descriptor.name());
        boolean classToken = descriptor.tokens() != null && descriptor.tokens().prefix() > 0
                && rawShapes.values().stream().anyMatch(shape -> shape.length == 2);
        this.fromLayer = !layers.isEmpty() && !classToken;
        if (layers.isEmpty()) {
            hint = "TorchScript file " + descriptor.file() + " exports no layer split (its methods are "
                    + module.methods() + "): " + EXPORT_HINT;
        } else if (classToken) {
            hint = "forward from a layer is not available: the class token (token grid prefix "
                    + descriptor.tokens().prefix() + ") cannot be rebuilt from the token grid";
        } else {
            hint = "";
        }
    }

    /** @return whether the descriptor names a TorchScript model: its architecture, or a TorchScript file name */
    static boolean describes(ModelDescriptor descriptor) {
        return describes(descriptor.architecture(), descriptor.file().getFileName().toString());
    }

    /**
     * @param architecture a descriptor's architecture, possibly empty
     * @param file         its model file name
     * @return whether the backend loads it as TorchScript: architecture {@value #ARCHITECTURE}, or none and a
     *         {@code .pt}, {@code .pth} or {@code .torchscript} file
     */
    static boolean describes(String architecture, String file) {
        if (!architecture.isBlank()) {
            return architecture.trim().equalsIgnoreCase(ARCHITECTURE);
        }
        String name = file.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Loads the file and checks it against the descriptor by running it once on zeros of the descriptor's input
     * size: every exported layer, its activation layout and its split. Call as context class loader.
     */
    static TorchScriptModel load(Engine engine, ModelDescriptor descriptor) {
        String name = descriptor.name();
        Path file = descriptor.file();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CamException("model '" + name + "': TorchScript file " + file + " does not exist or is not "
                    + "readable; fix \"file\" in the descriptor");
        }
        NDManager manager = engine.newBaseManager();
        try {
            TorchScriptModule module = TorchScriptModule.load(name, manager, file);
            List<String> layers = ExportedLayers.of(name, file, module.methods(),
                    descriptor.properties().get(ExportedLayers.PROPERTY));
            String defaultLayer = descriptor.defaultLayer() == null ? "" : descriptor.defaultLayer().trim();
            if (!layers.isEmpty() && !defaultLayer.isEmpty() && !layers.contains(defaultLayer)) {
                throw new CamException("model '" + name + "': the descriptor's defaultLayer '" + defaultLayer
                        + "' is not exported by " + file + "; it exports " + layers + ". Set defaultLayer to one "
                        + "of them, or export that layer with tools/camkit-export");
            }
            Map<String, long[]> rawShapes = new LinkedHashMap<>();
            long[] outputShape = probe(descriptor, module, manager, layers, rawShapes);
            descriptor.checkOutput(outputShape);
            return new TorchScriptModel(descriptor, manager, module, layers, rawShapes, outputShape);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Runs forward and every layer's split on one zero image; fills the raw layer shapes; returns the output's. */
    private static long[] probe(ModelDescriptor descriptor, TorchScriptModule module, NDManager manager,
            List<String> layers, Map<String, long[]> rawShapes) {
        String name = descriptor.name();
        String input = "[1, 3, " + descriptor.inputHeight() + ", " + descriptor.inputWidth() + "]";
        try (NDManager pass = manager.newSubManager()) {
            NDArray x = pass.zeros(new Shape(1, 3, descriptor.inputHeight(), descriptor.inputWidth()));
            NDArray output;
            try {
                output = module.call(TorchScriptModule.FORWARD, x, false);
            } catch (RuntimeException e) {
                throw new CamException("model '" + name + "': " + descriptor.file() + " does not run on input "
                        + input + " (the descriptor's inputHeight x inputWidth): " + TorchScriptModule.firstLine(e)
                        + ". Fix inputWidth/inputHeight to the size the model was exported for", e);
            }
            float[] expected = output.toFloatArray();
            for (String layer : layers) {
                NDArray a = module.call(ExportedLayers.FEATURES + layer, x, false);
                long[] shape = a.getShape().slice(1).getShape();
                checkLayout(descriptor, layer, a.getShape().getShape());
                rawShapes.put(layer, shape);
                float[] fromHead = module.call(ExportedLayers.HEAD + layer, a, false).toFloatArray();
                if (fromHead.length != expected.length || maxDiff(fromHead, expected)
                        > SPLIT_TOLERANCE * (1 + maxAbs(expected))) {
                    throw new CamException("model '" + name + "': " + descriptor.file() + " exports a split at layer '"
                            + layer + "' where head_" + layer + "(features_" + layer + "(x)) is not forward(x); "
                            + "export it again with tools/camkit-export");
                }
            }
            return output.getShape().slice(1).getShape();
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("model '" + name + "': running the exported layers " + layers + " of "
                    + descriptor.file() + " on input " + input + " failed: " + TorchScriptModule.firstLine(e), e);
        }
    }

    /** A layer's activations must be maps [N, C, h, w], or tokens [N, T, D] that fold into the descriptor's grid. */
    private static void checkLayout(ModelDescriptor descriptor, String layer, long[] shape) {
        TokenGrid grid = descriptor.tokens();
        String prefix = "model '" + descriptor.name() + "': layer '" + layer + "' has activations "
                + Arrays.toString(shape);
        if (shape.length == 3 && grid == null) {
            throw new CamException(prefix + " (tokens [N, T, D]); give the descriptor a token grid, "
                    + "\"tokens\": {\"prefix\": <class tokens>, \"height\": <rows>, \"width\": <columns>}");
        }
        if (shape.length == 3 && shape[1] != grid.tokens()) {
            throw new CamException(prefix + " with " + shape[1] + " tokens, but the descriptor's token grid "
                    + grid + " needs prefix + height * width = " + grid.tokens() + "; fix \"tokens\"");
        }
        if (shape.length != 3 && shape.length != 4) {
            throw new CamException(prefix + "; camkit needs maps [N, C, h, w] or tokens [N, T, D]: export a layer "
                    + "whose output has one of these shapes");
        }
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    @Override
    public Optional<LayerForward> layerForward() {
        return fromLayer ? Optional.of(this::outputFrom) : Optional.empty();
    }

    @Override
    public Optional<LayerBackward> layerBackward() {
        return fromLayer ? Optional.of(this::passFrom) : Optional.empty();
    }

    @Override
    public Optional<InputBackward> inputBackward() {
        return Optional.of(this::backward);
    }

    @Override
    public String capabilityHint() {
        return hint;
    }

    @Override
    public ForwardPass forward(Tensor input, List<String> names) {
        Set<String> capture = new LinkedHashSet<>(names);
        List<String> unknown = new ArrayList<>(capture);
        unknown.removeAll(layers);
        if (!unknown.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "' has no layer " + unknown + "; its layers are "
                    + layers + (layers.isEmpty() ? ". " + hint : ""));
        }
        checkInput(input);
        return lock.call(() -> run(input, capture));
    }

    private ForwardPass run(Tensor input, Set<String> capture) {
        NDManager pass = manager.newSubManager();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(!capture.isEmpty());
        try {
            NDArray x = Tensors.toNd(pass, input);
            if (capture.isEmpty()) {
                return new DjlForwardPass(descriptor.name(), pass, module.call(TorchScriptModule.FORWARD, x, false),
                        Map.of());
            }
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            List<NDArray> outputs = new ArrayList<>();
            Map<String, UnaryOperator<Tensor>> layouts = new LinkedHashMap<>();
            for (String layer : capture) {
                NDArray leaf = module.call(ExportedLayers.FEATURES + layer, x, true).stopGradient();
                leaf.setRequiresGradient(true);
                leaves.put(layer, leaf);
                outputs.add(module.call(ExportedLayers.HEAD + layer, leaf, true));
                if (isTokens(layer)) {
                    layouts.put(layer, descriptor.tokens()::toGrid);
                }
            }
            return new DjlForwardPass(descriptor.name(), pass, outputs.get(0), leaves, outputs, layouts);
        } catch (RuntimeException e) {
            pass.close();
            throw new CamException("model '" + descriptor.name() + "': forward pass on " + input + " capturing "
                    + capture + " failed: " + TorchScriptModule.firstLine(e), e);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private Tensor outputFrom(String layer, Tensor activations) {
        Tensor raw = rawActivations(layer, activations);
        return lock.call(() -> {
            try (NDManager pass = manager.newSubManager()) {
                return Tensors.fromNd(module.call(ExportedLayers.HEAD + layer, Tensors.toNd(pass, raw), false));
            } catch (RuntimeException e) {
                throw new CamException("model '" + descriptor.name() + "': forward pass from layer '" + layer
                        + "' on " + activations + " failed: " + TorchScriptModule.firstLine(e), e);
            }
        });
    }

    /** head_L on given activations as a gradient leaf: the seed goes back to them. */
    private ForwardPass passFrom(String layer, Tensor activations) {
        Tensor raw = rawActivations(layer, activations);
        return lock.call(() -> {
            NDManager pass = manager.newSubManager();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try {
                NDArray leaf = Tensors.toNd(pass, raw);
                leaf.setRequiresGradient(true);
                NDArray output = module.call(ExportedLayers.HEAD + layer, leaf, true);
                return new DjlForwardPass(descriptor.name(), pass, output, Map.of(layer, leaf), List.of(output),
                        isTokens(layer) ? Map.of(layer, descriptor.tokens()::toGrid) : Map.of());
            } catch (RuntimeException e) {
                pass.close();
                throw new CamException("model '" + descriptor.name() + "': forward pass from layer '" + layer
                        + "' on " + activations + " failed: " + TorchScriptModule.firstLine(e), e);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        });
    }

    /** @return activations checked against the layer's shape, as the head takes them (tokens unfolded) */
    private Tensor rawActivations(String layer, Tensor activations) {
        if (!layers.contains(layer)) {
            throw new CamException("model '" + descriptor.name() + "' has no layer '" + layer + "'; its layers are "
                    + layers + (layers.isEmpty() ? ". " + hint : ""));
        }
        long[] shown = shownShape(layer);
        long[] expected = new long[shown.length + 1];
        expected[0] = activations.dim(0);
        System.arraycopy(shown, 0, expected, 1, shown.length);
        if (!Arrays.equals(expected, Arrays.stream(activations.shape()).asLongStream().toArray())) {
            throw new CamException("model '" + descriptor.name() + "': activations for layer '" + layer + "' must be "
                    + Arrays.toString(expected) + ", got " + activations + "; pass activations captured at that layer");
        }
        return isTokens(layer) ? descriptor.tokens().fromGrid(activations, zeroTokens(layer)) : activations;
    }

    private InputGradients backward(Tensor input, Tensor seed) {
        checkInput(input);
        long[] expected = new long[outputShape.length + 1];
        expected[0] = input.dim(0);
        System.arraycopy(outputShape, 0, expected, 1, outputShape.length);
        if (!Arrays.equals(expected, Arrays.stream(seed.shape()).asLongStream().toArray())) {
            throw new CamException("model '" + descriptor.name() + "': gradient seed " + seed + " must have the "
                    + "output's shape " + Arrays.toString(expected));
        }
        return lock.call(() -> {
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try (NDManager pass = manager.newSubManager()) {
                NDArray x = Tensors.toNd(pass, input);
                x.setRequiresGradient(true);
                NDArray output = module.call(TorchScriptModule.FORWARD, x, true);
                return OneDnn.backward(() -> {
                    JniUtils.backward((PtNDArray) output, (PtNDArray) Tensors.toNd(pass, seed), false, false);
                    return new InputGradients(Tensors.fromNd(output), Tensors.fromNd(x.getGradient()), Map.of());
                });
            } catch (RuntimeException e) {
                throw new CamException("model '" + descriptor.name() + "': back-propagation to the input failed: "
                        + TorchScriptModule.firstLine(e), e);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        });
    }

    /** Test hook: whether the module's parameters are all frozen. */
    boolean frozen() {
        return lock.call(module::frozen);
    }

    private void checkInput(Tensor input) {
        if (input.rank() != 4 || input.dim(1) != 3 || input.dim(2) != descriptor.inputHeight()
                || input.dim(3) != descriptor.inputWidth()) {
            throw new CamException("model '" + descriptor.name() + "' needs input [N, 3, " + descriptor.inputHeight()
                    + ", " + descriptor.inputWidth() + "] (the descriptor's inputHeight x inputWidth), got " + input);
        }
    }

    private boolean isTokens(String layer) {
        return rawShapes.get(layer).length == 2;
    }

    /** @return a layer's activation shape for one image as camkit shows it: [C, h, w], tokens as [D, h, w] */
    private long[] shownShape(String layer) {
        long[] raw = rawShapes.get(layer);
        TokenGrid grid = descriptor.tokens();
        return isTokens(layer) ? new long[] {raw[1], grid.height(), grid.width()} : raw;
    }

    /** The prefix tokens fromGrid puts back: none exist when FORWARD_FROM_LAYER is provided (prefix 0). */
    private Tensor zeroTokens(String layer) {
        long[] raw = rawShapes.get(layer);
        int t = Math.toIntExact(raw[0]);
        int d = Math.toIntExact(raw[1]);
        return Tensor.of(new float[t * d], 1, t, d);
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static float maxDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Override
    public void close() {
        lock.close(manager::close);
    }
}
