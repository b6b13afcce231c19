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
import java.util.Arrays;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;

/*
 * cam:bench's reference: the model's network run with plain DJL, no camkit pipeline. Forward to the target layer, make
 * its output a gradient leaf, forward the rest, back-propagate a one-hot seed and read the leaf's gradient. For a
 * network built in Java the rest is its remaining children; for a TorchScript model it is features_<layer> then
 * head_<layer>.
 */
abstract class RawNetwork implements AutoCloseable {

    /** One raw pass: the output, the predicted class, the target layer's gradient and the time of each half. */
    record Result(float[] logits, int predicted, float[] gradient, int channels, long forwardNanos,
            long backwardNanos) {
    }

    /** The target layer's output as a gradient leaf, and the model output computed from it. */
    record Split(NDArray leaf, NDArray output) {
    }

    final NDManager manager;
    private final String architecture;
    private final int classes;
    private final float[] mean;
    private final float[] std;
    private final boolean bgr;
    private final int size;

    private RawNetwork(NDManager manager, BenchDescriptor descriptor, String architecture, int classes, int size) {
        this.manager = manager;
        this.architecture = architecture;
        this.classes = classes;
        this.mean = descriptor.floats("mean");
        this.std = descriptor.floats("std");
        this.bgr = descriptor.text("channelOrder", "RGB").trim().equalsIgnoreCase("BGR");
        this.size = size;
    }

    /** Loads the network of a {@code pytorch} model descriptor at input size {@code size x size}. */
    static RawNetwork load(BenchDescriptor descriptor, int size, String layer) {
        String backend = descriptor.text("backend");
        if (!backend.equals("pytorch")) {
            throw new CamException("cam:bench: model descriptor " + descriptor.file() + " is for backend '" + backend
                    + "'; the benchmark measures backend 'pytorch' (DJL): give a pytorch model");
        }
        var engine = PyTorchRuntime.engine();
        return ContextLoader.call(() -> {
            NDManager manager = engine.newBaseManager();
            try {
                return descriptor.torchScript() ? Script.load(manager, descriptor, size, layer)
                        : Children.load(manager, descriptor, size, layer);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        });
    }

    String architecture() {
        return architecture;
    }

    int classes() {
        return classes;
    }

    int size() {
        return size;
    }

    /** The model input {@code [1, 3, size, size]}, in the descriptor's channel order and normalisation; not timed. */
    float[] preprocess(RgbImage image) {
        byte[] rgb = image.rgb();
        int area = size * size;
        float[] data = new float[3 * area];
        for (int c = 0; c < 3; c++) {
            int source = bgr ? 2 - c : c;
            for (int i = 0; i < area; i++) {
                data[c * area + i] = ((rgb[3 * i + source] & 0xff) / 255f - mean[c]) / std[c];
            }
        }
        return data;
    }

    /** Runs forward with the target layer as a leaf, then back-propagates a one-hot of the predicted class. */
    Result run(float[] input) {
        return ContextLoader.call(() -> {
            long start = System.nanoTime();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try (NDManager pass = manager.newSubManager()) {
                Split split = forward(pass, pass.create(input, new Shape(1, 3, size, size)));
                NDArray output = split.output();
                float[] logits = output.toFloatArray();
                long[] shape = output.getShape().getShape();
                int predicted = predicted(logits, shape);
                long forwardEnd = System.nanoTime();
                NDArray seed = pass.create(seed(predicted, logits.length, shape), output.getShape());
                NDArray leaf = split.leaf();
                float[] gradient = OneDnn.backward(() -> {
                    JniUtils.backward((PtNDArray) output, (PtNDArray) seed, false, false);
                    return leaf.getGradient().toFloatArray();
                });
                long end = System.nanoTime();
                // maps [1, C, h, w] or tokens [1, T, D]
                long channels = leaf.getShape().dimension() == 3 ? leaf.getShape().get(2) : leaf.getShape().get(1);
                return new Result(logits, predicted, gradient, Math.toIntExact(channels), forwardEnd - start,
                        end - forwardEnd);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        });
    }

    /** Call in grad mode, in {@code pass}, as context class loader. */
    abstract Split forward(NDManager pass, NDArray x);

    /** The class with the largest output; for maps {@code [1, K, H, W]} the largest sum over its map. */
    static int predicted(float[] output, long[] shape) {
        int classes = shape.length >= 2 ? Math.toIntExact(shape[1]) : output.length;
        int area = output.length / classes;
        double[] sums = new double[classes];
        for (int i = 0; i < output.length; i++) {
            sums[i / area] += output[i];
        }
        int best = 0;
        for (int k = 1; k < classes; k++) {
            best = sums[k] > sums[best] ? k : best;
        }
        return best;
    }

    /** d(score)/d(output): ones on the predicted class's output (one logit, or its whole map). */
    static float[] seed(int predicted, int size, long[] shape) {
        int classes = shape.length >= 2 ? Math.toIntExact(shape[1]) : size;
        int area = size / classes;
        float[] seed = new float[size];
        Arrays.fill(seed, predicted * area, (predicted + 1) * area, 1f);
        return seed;
    }

    @Override
    public void close() {
        ContextLoader.run(manager::close);
    }

    /** A network built in Java by {@link Architectures}, with its weights file, run child by child. */
    private static final class Children extends RawNetwork {
        private final List<Block> children;
        private final int split;

        private Children(NDManager manager, BenchDescriptor descriptor, String architecture, int classes, int size,
                List<Block> children, int split) {
            super(manager, descriptor, architecture, classes, size);
            this.children = children;
            this.split = split;
        }

        static Children load(NDManager manager, BenchDescriptor descriptor, int size, String layer) {
            String architecture = descriptor.text("architecture");
            int classes = descriptor.classes();
            if (classes <= 0) {
                throw new CamException("cam:bench: model descriptor " + descriptor.file() + " has no labels and no "
                        + "\"classes\" property: give its labels or the number of classes");
            }
            Architectures.Network network = Architectures.build(architecture, classes);
            if (network == null) {
                throw new CamException("cam:bench: model descriptor " + descriptor.file() + " names architecture '"
                        + architecture + "'; the raw benchmark knows " + Architectures.ids() + " and "
                        + TorchScriptModel.ARCHITECTURE);
            }
            int split = network.names().indexOf(layer);
            if (split < 0) {
                throw new CamException("cam:bench: the model has no layer '" + layer + "'; its layers are "
                        + network.names());
            }
            try {
                network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
                Weights.load(network.block(), manager, descriptor.modelFile());
                network.block().freezeParameters(true);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new CamException("cam:bench: cannot load weights " + descriptor.modelFile() + ": "
                        + e.getMessage(), e);
            }
            return new Children(manager, descriptor, architecture, classes, size,
                    List.copyOf(network.block().getChildren().values()), split);
        }

        @Override
        Split forward(NDManager pass, NDArray input) {
            ParameterStore parameters = new ParameterStore(pass, false);
            NDList x = new NDList(input);
            NDArray leaf = null;
            for (int i = 0; i < children.size(); i++) {
                x = children.get(i).forward(parameters, x, false);
                if (i == split) {
                    leaf = x.singletonOrThrow().stopGradient();
                    leaf.setRequiresGradient(true);
                    x = new NDList(leaf);
                }
            }
            return new Split(leaf, x.singletonOrThrow());
        }
    }

    /** A TorchScript model under the export contract: features_<layer>, then head_<layer> on its leaf. */
    private static final class Script extends RawNetwork {
        private final TorchScriptModule module;
        private final String layer;

        private Script(NDManager manager, BenchDescriptor descriptor, int classes, int size, TorchScriptModule module,
                String layer) {
            super(manager, descriptor, TorchScriptModel.ARCHITECTURE, classes, size);
            this.module = module;
            this.layer = layer;
        }

        static Script load(NDManager manager, BenchDescriptor descriptor, int size, String layer) {
            String name = descriptor.text("name", descriptor.file().getFileName().toString());
            TorchScriptModule module = TorchScriptModule.load(name, manager, descriptor.modelFile());
            List<String> layers = ExportedLayers.of(name, descriptor.modelFile(), module.methods(), null);
            if (!layers.contains(layer)) {
                throw new CamException("cam:bench: TorchScript model " + descriptor.modelFile() + " exports no layer '"
                        + layer + "'; it exports " + layers + (layers.isEmpty() ? " (export a layer split with "
                        + "tools/camkit-export)" : ""));
            }
            int classes = descriptor.classes();
            if (classes <= 0) {
                try (NDManager probe = manager.newSubManager()) {
                    NDArray out = module.call(TorchScriptModule.FORWARD, probe.zeros(new Shape(1, 3, size, size)),
                            false);
                    classes = Math.toIntExact(out.getShape().get(1));
                } catch (RuntimeException e) {
                    throw new CamException("cam:bench: TorchScript model " + descriptor.modelFile() + " does not run "
                            + "on input [1, 3, " + size + ", " + size + "]: " + TorchScriptModule.firstLine(e), e);
                }
            }
            return new Script(manager, descriptor, classes, size, module, layer);
        }

        @Override
        Split forward(NDManager pass, NDArray x) {
            NDArray leaf = module.call(ExportedLayers.FEATURES + layer, x, true).stopGradient();
            leaf.setRequiresGradient(true);
            return new Split(leaf, module.call(ExportedLayers.HEAD + layer, leaf, true));
        }
    }
}
