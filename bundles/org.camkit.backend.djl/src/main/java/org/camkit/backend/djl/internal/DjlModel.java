package org.camkit.backend.djl.internal;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.camkit.api.CamException;
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

// A sequential network (from Architectures with a Weights file, or wrapped by BlockModels), run child by child.
final class DjlModel implements LoadedModel {

    private final ModelDescriptor descriptor;
    private final NDManager manager;
    private final Chain chain;
    private final LinearHead head;
    private final ModelLock lock;

    private DjlModel(ModelDescriptor descriptor, NDManager manager, Architectures.Network network) {
        this.descriptor = descriptor;
        this.manager = manager;
        this.chain = new Chain(network);
        this.lock = new ModelLock(descriptor.name());
        this.head = chain.headInput() < 0 ? null : chain.linearHead();
    }

    /**
     * Wraps an initialised network whose parameters are set; freezes them. The model closes {@code manager}.
     * Call with the bundle as context class loader.
     */
    static DjlModel wrap(ModelDescriptor descriptor, Architectures.Network network, NDManager manager) {
        try {
            network.block().freezeParameters(true);
            DjlModel model = new DjlModel(descriptor, manager, network);
            Shape input = model.chain.input();
            if (input.get(2) != descriptor.inputHeight() || input.get(3) != descriptor.inputWidth()) {
                throw new IllegalArgumentException("it was initialised for input " + input + " but the descriptor "
                        + "says " + descriptor.inputWidth() + "x" + descriptor.inputHeight() + " (width x height)");
            }
            return model;
        } catch (RuntimeException e) {
            throw new CamException("model '" + descriptor.name() + "': cannot wrap network " + network.names()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Builds, initialises and loads the model; call with the bundle as context class loader. */
    static DjlModel load(Engine engine, ModelDescriptor descriptor) {
        String name = descriptor.name();
        Architectures.Network network = Architectures.build(descriptor.architecture(), descriptor.classes());
        if (network == null) {
            throw new CamException("model '" + name + "': unknown architecture '" + descriptor.architecture()
                    + "' for backend 'pytorch'; set \"architecture\" to one of " + Architectures.ids());
        }
        Path file = descriptor.file();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CamException("model '" + name + "': weights file " + file + " does not exist or is not "
                    + "readable; write it with the training tool (Weights.save) or fix \"file\" in the descriptor");
        }
        NDManager manager = engine.newBaseManager();
        try {
            network.block().initialize(manager, DataType.FLOAT32,
                    new Shape(1, 3, descriptor.inputHeight(), descriptor.inputWidth()));
            Weights.load(network.block(), manager, file);
            network.block().freezeParameters(true);
            return new DjlModel(descriptor, manager, network);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new CamException("model '" + name + "': cannot load weights file " + file + ": " + e.getMessage()
                    + ". It must be written by Weights.save for architecture '" + descriptor.architecture()
                    + "' with " + descriptor.classes() + " classes", e);
        }
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<String> layers() {
        return chain.names();
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

    @Override
    public Optional<InputBackward> biasBackward() {
        return inputBackward();
    }

    @Override
    public Optional<InputBackward> guidedBackward() {
        return Optional.of((input, seed) -> backward(input, seed, true));
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.ofNullable(head);
    }

    @Override
    public Optional<Randomisation> randomisation() {
        return Optional.of(new Randomisation() {
            @Override
            public List<String> layers() {
                return chain.weighted();
            }

            @Override
            public LoadedModel randomised(List<String> layers, long seed) {
                List<String> known = chain.weighted();
                for (String layer : layers) {
                    if (!known.contains(layer)) {
                        throw new CamException("model '" + descriptor.name() + "' has no weighted layer '" + layer
                                + "'; its weighted layers: " + known);
                    }
                }
                DjlModel copy = ContextLoader.call(() -> load(PyTorchRuntime.engine(), descriptor));
                Random random = new Random(seed);
                for (String layer : known) { // in network order, so that a layer's draws do not depend on the others
                    if (layers.contains(layer)) {
                        copy.chain.randomise(copy.chain.index(layer), new Random(random.nextLong()));
                    } else {
                        random.nextLong();
                    }
                }
                return copy;
            }
        });
    }

    @Override
    public ForwardPass forward(Tensor input, List<String> layers) {
        Set<String> capture = new LinkedHashSet<>(layers);
        List<String> unknown = new ArrayList<>(capture);
        unknown.removeAll(chain.names());
        if (!unknown.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "' has no layer " + unknown + "; its layers are "
                    + chain.names());
        }
        checkInput(input);
        return locked(() -> run(input, capture));
    }

    private ForwardPass run(Tensor input, Set<String> capture) {
        NDManager pass = manager.newSubManager();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(!capture.isEmpty());
        try {
            Map<String, NDArray> captured = new LinkedHashMap<>();
            NDArray output = chain.run(new ParameterStore(pass, false), Tensors.toNd(pass, input), 0, (i, out) -> {
                if (!capture.contains(chain.names().get(i))) {
                    return out;
                }
                // a leaf with the activation's value; past the first capture, gradients must still flow
                // upstream to the earlier captured leaves, so the value is rebuilt as leaf + (a - stop(a))
                NDArray leaf = out.stopGradient();
                leaf.setRequiresGradient(true);
                boolean first = captured.isEmpty();
                captured.put(chain.names().get(i), leaf);
                return first ? leaf : leaf.add(out.sub(out.stopGradient()));
            });
            return new DjlForwardPass(descriptor.name(), pass, output, captured);
        } catch (RuntimeException e) {
            pass.close();
            throw new CamException("model '" + descriptor.name() + "': forward pass on " + input + " failed: "
                    + e.getMessage(), e);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private Tensor outputFrom(String layer, Tensor activations) {
        int index = layerIndex(layer, activations);
        return locked(() -> {
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager pass = manager.newSubManager()) {
                NDArray x = Tensors.toNd(pass, activations);
                return Tensors.fromNd(chain.run(new ParameterStore(pass, false), x, index + 1, (i, out) -> out));
            } catch (RuntimeException e) {
                throw new CamException("model '" + descriptor.name() + "': forward pass from layer '" + layer
                        + "' on " + activations + " failed: " + e.getMessage(), e);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        });
    }

    /** The chain from the layer on, on given activations as a gradient leaf: the seed goes back to them. */
    private ForwardPass passFrom(String layer, Tensor activations) {
        int index = layerIndex(layer, activations);
        return locked(() -> {
            NDManager pass = manager.newSubManager();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try {
                NDArray leaf = Tensors.toNd(pass, activations);
                leaf.setRequiresGradient(true);
                NDArray output = chain.run(new ParameterStore(pass, false), leaf, index + 1, (i, out) -> out);
                return new DjlForwardPass(descriptor.name(), pass, output, Map.of(layer, leaf));
            } catch (RuntimeException e) {
                pass.close();
                throw new CamException("model '" + descriptor.name() + "': forward pass from layer '" + layer
                        + "' on " + activations + " failed: " + e.getMessage(), e);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        });
    }

    /** @return the layer's index in the chain, once the activations are checked against its shape */
    private int layerIndex(String layer, Tensor activations) {
        int index = chain.index(layer);
        if (index < 0) {
            throw new CamException("model '" + descriptor.name() + "' has no layer '" + layer + "'; its layers are "
                    + chain.names());
        }
        long[] expected = batchOf(activations, chain.shape(index).getShape());
        if (!Arrays.equals(expected, Arrays.stream(activations.shape()).asLongStream().toArray())) {
            throw new CamException("model '" + descriptor.name() + "': activations for layer '" + layer + "' must be "
                    + "[B, " + chain.shape(index) + "] = " + Arrays.toString(expected) + ", got " + activations
                    + "; pass activations captured at that layer");
        }
        return index;
    }

    private InputGradients backward(Tensor input, Tensor seed, boolean guided) {
        checkInput(input);
        long[] expected = batchOf(input, chain.shape(chain.size() - 1).getShape());
        if (!Arrays.equals(expected, Arrays.stream(seed.shape()).asLongStream().toArray())) {
            throw new CamException("model '" + descriptor.name() + "': gradient seed " + seed + " must have the "
                    + "output's shape " + Arrays.toString(expected));
        }
        return locked(() -> {
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try (NDManager pass = manager.newSubManager()) {
                return Backward.run(chain, pass, Tensors.toNd(pass, input), seed, guided);
            } catch (RuntimeException e) {
                throw new CamException("model '" + descriptor.name() + "': back-propagation to the input "
                        + (guided ? "(guided) " : "") + "failed: " + e.getMessage(), e);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        });
    }

    private void checkInput(Tensor input) {
        if (input.rank() != 4 || input.dim(1) != chain.inputChannels()) {
            throw new CamException("model '" + descriptor.name() + "' needs input [N, " + chain.inputChannels()
                    + ", H, W], got " + input);
        }
    }

    private static long[] batchOf(Tensor batch, long[] shape) {
        long[] full = new long[shape.length + 1];
        full[0] = batch.dim(0);
        System.arraycopy(shape, 0, full, 1, shape.length);
        return full;
    }

    private <T> T locked(Supplier<T> action) {
        return lock.call(action);
    }

    @Override
    public void close() {
        lock.close(manager::close);
    }
}
