package org.camkit.backend.djl.internal;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

// A network from Architectures with weights from a Weights file; runs its children one by one to capture layers.
final class DjlModel implements LoadedModel {

    private final ModelDescriptor descriptor;
    private final NDManager manager;
    private final List<String> names;
    private final List<Block> children;
    /** Forward passes read the parameters (read lock); close frees them (write lock). */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private DjlModel(ModelDescriptor descriptor, NDManager manager, Architectures.Network network) {
        this.descriptor = descriptor;
        this.manager = manager;
        this.names = network.names();
        this.children = List.copyOf(network.block().getChildren().values());
    }

    /** Builds, initialises and loads the model; call with the bundle as context class loader. */
    static DjlModel load(Engine engine, ModelDescriptor descriptor) {
        String name = descriptor.name();
        Architectures.Network network = Architectures.build(descriptor.architecture(), classes(descriptor));
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
                    + "' with " + classes(descriptor) + " classes", e);
        }
    }

    private static int classes(ModelDescriptor descriptor) {
        if (!descriptor.labels().isEmpty()) {
            return descriptor.labels().size();
        }
        String value = descriptor.properties().get("classes");
        try {
            int classes = Integer.parseInt(value == null ? "" : value.trim());
            if (classes > 0) {
                return classes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CamException("model '" + descriptor.name() + "' has no labels and no positive \"classes\" "
                + "property (got " + value + "): give its labels or the number of classes");
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<String> layers() {
        return names;
    }

    @Override
    public ForwardPass forward(Tensor input, List<String> layers) {
        Set<String> capture = new LinkedHashSet<>(layers);
        List<String> unknown = new ArrayList<>(capture);
        unknown.removeAll(names);
        if (!unknown.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "' has no layer " + unknown + "; its layers are "
                    + names);
        }
        if (input.rank() != 4 || input.dim(1) != 3) {
            throw new CamException("model '" + descriptor.name() + "' needs input [N, 3, H, W], got " + input);
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new CamException("model '" + descriptor.name() + "' is closed; load it again");
            }
            return ContextLoader.call(() -> run(input, capture));
        } finally {
            lock.readLock().unlock();
        }
    }

    private ForwardPass run(Tensor input, Set<String> capture) {
        NDManager pass = manager.newSubManager();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(!capture.isEmpty());
        try {
            ParameterStore parameters = new ParameterStore(pass, false);
            NDList x = new NDList(Tensors.toNd(pass, input));
            Map<String, NDArray> captured = new LinkedHashMap<>();
            for (int i = 0; i < children.size(); i++) {
                x = children.get(i).forward(parameters, x, false);
                if (capture.contains(names.get(i))) {
                    // a leaf with the activation's value; past the first capture, gradients must still flow
                    // upstream to the earlier captured leaves, so the value is rebuilt as leaf + (a - stop(a))
                    NDArray activation = x.singletonOrThrow();
                    NDArray leaf = activation.stopGradient();
                    leaf.setRequiresGradient(true);
                    x = new NDList(captured.isEmpty() ? leaf : leaf.add(activation.sub(activation.stopGradient())));
                    captured.put(names.get(i), leaf);
                }
            }
            return new DjlForwardPass(descriptor.name(), pass, x.singletonOrThrow(), captured);
        } catch (RuntimeException e) {
            pass.close();
            throw new CamException("model '" + descriptor.name() + "': forward pass on " + input + " failed: "
                    + e.getMessage(), e);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                ContextLoader.run(manager::close);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
