package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;

/**
 * Test hook: wraps a sequential network built in code, with parameters the caller sets, as a {@link LoadedModel} of
 * the {@code pytorch} backend, on the same code path as models the backend loads (forward, outputFrom, backward,
 * linearHead, capabilities). Meant for tests on a plain class path, e.g. this backend's run of the testkit's backend
 * conformance suite; this package is not exported, so bundles in a framework cannot use it.
 *
 * <p>libtorch is found as {@link DjlBackend} describes (system properties {@code camkit.pytorch.natives},
 * {@code DJL_CACHE_DIR}, {@code ai.djl.offline}). A typical use:
 * <pre>{@code
 * NDManager manager = BlockModels.newManager();
 * Architectures.Network net = new Architectures.Network(List.of("conv1", "relu1"), block);
 * net.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, 8, 8));
 * BlockModels.setParameter(net, "conv1", "bias", -1f, 2f);
 * LoadedModel model = BlockModels.wrap(descriptor, net, manager); // closes manager on close()
 * }</pre>
 *
 * @since 0.2
 */
public final class BlockModels {

    private BlockModels() {
    }

    /**
     * @return a new base manager of the PyTorch engine (libtorch loads on first use); the caller closes it, or
     *         hands it to {@link #wrap}
     */
    public static NDManager newManager() {
        var engine = PyTorchRuntime.engine();
        return ContextLoader.call(engine::newBaseManager);
    }

    /**
     * Wraps a network; its parameters are frozen.
     *
     * @param descriptor the model's name, labels, and input size, which must be the size the network was
     *                   initialised with
     * @param network    a network initialised in {@code manager}, whose parameters are set
     * @param manager    the manager holding the parameters: the returned model closes it with itself (if wrapping
     *                   fails, the caller keeps it)
     * @return the model
     * @throws org.camkit.api.CamException if the network is not initialised, its names do not match its children,
     *                                     or its input size is not the descriptor's
     */
    public static LoadedModel wrap(ModelDescriptor descriptor, Architectures.Network network, NDManager manager) {
        return ContextLoader.call(() -> DjlModel.wrap(descriptor, network, manager));
    }

    /**
     * Sets the values of an initialised parameter.
     *
     * @param network   an initialised network
     * @param layer     a child's name in {@code network}, e.g. {@code conv1}
     * @param parameter DJL's name of the parameter: {@code weight} or {@code bias} (Conv2d, Linear), {@code gamma},
     *                  {@code beta}, {@code runningMean} or {@code runningVar} (BatchNorm)
     * @param values    all of its values in row-major order, e.g. a Conv2d weight {@code [out, in, kh, kw]}, a
     *                  Linear weight {@code [units, inputs]}
     * @throws IllegalArgumentException if the layer or parameter is unknown or the value count is wrong
     */
    public static void setParameter(Architectures.Network network, String layer, String parameter,
            float... values) {
        int index = network.names().indexOf(layer);
        if (index < 0) {
            throw new IllegalArgumentException("no layer '" + layer + "'; the network's layers are "
                    + network.names());
        }
        Block block = List.copyOf(network.block().getChildren().values()).get(index);
        Parameter p = block.getParameters().get(parameter);
        if (p == null || !p.isInitialized()) {
            throw new IllegalArgumentException("layer '" + layer + "' has no initialised parameter '" + parameter
                    + "'; its parameters are " + block.getParameters().keys() + " (initialise the network first)");
        }
        NDArray array = p.getArray();
        if (array.size() != values.length) {
            throw new IllegalArgumentException("parameter '" + parameter + "' of layer '" + layer + "' has shape "
                    + array.getShape() + ": it needs " + array.size() + " values, got " + values.length);
        }
        ContextLoader.run(() -> array.set(values));
    }
}
