package org.camkit.backend.djl.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

/*
 * The engine baseline's network, run with plain DJL and no camkit pipeline: forward to the target layer, make its
 * output a gradient leaf, forward the rest, back-propagate a one-hot seed and read the leaf's gradient. For a network
 * built in Java the rest is its remaining children; for a TorchScript model it is features_<layer> then head_<layer>.
 * Batched forward passes without gradients run the whole network (a TorchScript model's forward) or the rest of it.
 */
abstract class RawNetwork implements EngineBaseline.Network {

    /** The target layer's output as a gradient leaf, and the model output computed from it. */
    record Split(NDArray leaf, NDArray output) {
    }

    private final NDManager manager;
    /** Leading tokens camkit drops from a token layout (a class token), or 0. */
    private final int prefix;
    private final Tensor image;
    /** The image's activations at the layer, in the engine's layout, once a pass from the layer asked for them. */
    private Tensor activation;
    /** The last batch {@link #forward} built, and whether it holds activations. */
    private Tensor last;
    private boolean lastFromLayer;

    private RawNetwork(NDManager manager, ModelDescriptor model, Tensor input) {
        this.manager = manager;
        this.prefix = model.tokens() == null ? 0 : model.tokens().prefix();
        this.image = input;
    }

    /** Loads the network of a {@code pytorch} model for raw passes to {@code layer} on {@code input}. */
    static RawNetwork load(ModelDescriptor model, String layer, Tensor input) {
        if (input.rank() != 4 || input.dim(0) != 1 || input.dim(1) != 3) {
            throw new CamException("model '" + model.name() + "': the PyTorch engine baseline runs on one image "
                    + "[1, 3, H, W], got " + input);
        }
        var engine = PyTorchRuntime.engine();
        return ContextLoader.call(() -> {
            NDManager manager = engine.newBaseManager();
            try {
                return TorchScriptModel.describes(model) ? Script.load(manager, model, layer, input)
                        : Children.load(manager, model, layer, input);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        });
    }

    /** Runs forward with the target layer as a leaf, then back-propagates a one-hot of the predicted class. */
    @Override
    public EngineBaseline.Run run() {
        return ContextLoader.call(() -> OneDnn.forward(() -> {
            long start = System.nanoTime();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try (NDManager pass = manager.newSubManager()) {
                Split split = forward(pass, Tensors.toNd(pass, image));
                NDArray output = split.output();
                Tensor logits = Tensors.fromNd(output);
                int predicted = EngineBaseline.topClass(logits);
                long forwardEnd = System.nanoTime();
                NDArray seed = Tensors.toNd(pass, EngineBaseline.seed(logits, predicted));
                NDArray leaf = split.leaf();
                float[] gradient = OneDnn.backward(() -> {
                    JniUtils.backward((PtNDArray) output, (PtNDArray) seed, false, false);
                    return leaf.getGradient().toFloatArray();
                });
                long end = System.nanoTime();
                // maps [1, C, h, w] or tokens [1, T, D], of which camkit shows the tokens after the prefix
                boolean tokens = leaf.getShape().dimension() == 3;
                long channels = tokens ? leaf.getShape().get(2) : leaf.getShape().get(1);
                double squares = 0;
                for (int i = tokens ? Math.toIntExact(prefix * channels) : 0; i < gradient.length; i++) {
                    squares += (double) gradient[i] * gradient[i];
                }
                Map<String, Duration> stages = new LinkedHashMap<>();
                stages.put("forward", Duration.ofNanos(forwardEnd - start));
                stages.put("backward + gradient read", Duration.ofNanos(end - forwardEnd));
                return new EngineBaseline.Run(logits.toArray(), predicted, Math.toIntExact(channels),
                        Math.sqrt(squares), stages);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }));
    }

    @Override
    public Tensor forward(int batch, boolean fromLayer) {
        return ContextLoader.call(() -> OneDnn.forward(() -> {
            if (last == null || last.dim(0) != batch || lastFromLayer != fromLayer) {
                last = EngineBaseline.repeat(fromLayer ? activation() : image, batch);
                lastFromLayer = fromLayer;
            }
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager pass = manager.newSubManager()) {
                NDArray x = Tensors.toNd(pass, last);
                return Tensors.fromNd(fromLayer ? fromLayer(pass, x, false) : whole(pass, x));
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }));
    }

    /** @return the image's activations at the layer in the engine's layout, computed on first use */
    private Tensor activation() {
        if (activation == null) {
            try (NDManager pass = manager.newSubManager()) {
                activation = Tensors.fromNd(toLayer(pass, Tensors.toNd(pass, image), false));
            }
        }
        return activation;
    }

    /** Call in grad mode, in {@code pass}, as context class loader. */
    private Split forward(NDManager pass, NDArray x) {
        NDArray leaf = toLayer(pass, x, true).stopGradient();
        leaf.setRequiresGradient(true);
        return new Split(leaf, fromLayer(pass, leaf, true));
    }

    /** @return the model output of the input batch {@code x}, no graph recorded */
    NDArray whole(NDManager pass, NDArray x) {
        return fromLayer(pass, toLayer(pass, x, false), false);
    }

    /**
     * @param pass     the pass's manager
     * @param x        the input batch
     * @param autograd record the graph for a backward pass
     * @return the target layer's output
     */
    abstract NDArray toLayer(NDManager pass, NDArray x, boolean autograd);

    /**
     * @param pass        the pass's manager
     * @param activations the target layer's output
     * @param autograd    record the graph for a backward pass
     * @return the model output computed from it
     */
    abstract NDArray fromLayer(NDManager pass, NDArray activations, boolean autograd);

    @Override
    public void close() {
        ContextLoader.run(manager::close);
    }

    /** A network built in Java by {@link Architectures}, with its weights file, run child by child. */
    private static final class Children extends RawNetwork {
        private final List<Block> children;
        private final int split;

        private Children(NDManager manager, ModelDescriptor model, Tensor input, List<Block> children, int split) {
            super(manager, model, input);
            this.children = children;
            this.split = split;
        }

        static Children load(NDManager manager, ModelDescriptor model, String layer, Tensor input) {
            Architectures.Network network = Architectures.build(model.architecture(), model.classes());
            if (network == null) {
                throw new CamException("model '" + model.name() + "': the PyTorch engine baseline builds the "
                        + "architectures " + Architectures.ids() + " and loads TorchScript files, not '"
                        + model.architecture() + "'");
            }
            int split = network.names().indexOf(layer);
            if (split < 0) {
                throw new CamException("model '" + model.name() + "' has no layer '" + layer + "'; its layers are "
                        + network.names());
            }
            try {
                network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, input.dim(2), input.dim(3)));
                Weights.load(network.block(), manager, model.file());
                network.block().freezeParameters(true);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new CamException("model '" + model.name() + "': cannot load weights " + model.file() + ": "
                        + e.getMessage(), e);
            }
            return new Children(manager, model, input, List.copyOf(network.block().getChildren().values()), split);
        }

        @Override
        NDArray toLayer(NDManager pass, NDArray x, boolean autograd) {
            return run(pass, x, 0, split + 1);
        }

        @Override
        NDArray fromLayer(NDManager pass, NDArray activations, boolean autograd) {
            return run(pass, activations, split + 1, children.size());
        }

        /** Children {@code from} to {@code to} (exclusive); grad mode is the caller's. */
        private NDArray run(NDManager pass, NDArray input, int from, int to) {
            ParameterStore parameters = new ParameterStore(pass, false);
            NDList x = new NDList(input);
            for (int i = from; i < to; i++) {
                x = children.get(i).forward(parameters, x, false);
            }
            return x.singletonOrThrow();
        }
    }

    /** A TorchScript model under the export contract: features_<layer>, then head_<layer> on its leaf. */
    private static final class Script extends RawNetwork {
        private final TorchScriptModule module;
        private final String layer;

        private Script(NDManager manager, ModelDescriptor model, Tensor input, TorchScriptModule module,
                String layer) {
            super(manager, model, input);
            this.module = module;
            this.layer = layer;
        }

        static Script load(NDManager manager, ModelDescriptor model, String layer, Tensor input) {
            TorchScriptModule module = TorchScriptModule.load(model.name(), manager, model.file());
            List<String> layers = ExportedLayers.of(model.name(), model.file(), module.methods(), null);
            if (!layers.contains(layer)) {
                throw new CamException("model '" + model.name() + "': TorchScript file " + model.file()
                        + " exports no layer '" + layer + "'; it exports " + layers + (layers.isEmpty()
                                ? " (export a layer split with tools/camkit-export)" : ""));
            }
            return new Script(manager, model, input, module, layer);
        }

        @Override
        NDArray toLayer(NDManager pass, NDArray x, boolean autograd) {
            return module.call(ExportedLayers.FEATURES + layer, x, autograd);
        }

        @Override
        NDArray fromLayer(NDManager pass, NDArray activations, boolean autograd) {
            return module.call(ExportedLayers.HEAD + layer, activations, autograd);
        }

        /** The model's own forward method, as its user calls it. */
        @Override
        NDArray whole(NDManager pass, NDArray x) {
            return module.call(TorchScriptModule.FORWARD, x, false);
        }
    }
}
