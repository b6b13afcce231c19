package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

// Small networks built through BlockModels, as other modules' tests build them.
final class TestNets {

    private TestNets() {
    }

    /** Layer names and blocks, alternating: {@code "conv1", conv, "relu1", relu, ...}. */
    static Architectures.Network network(Object... namesAndBlocks) {
        List<String> names = new ArrayList<>();
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < namesAndBlocks.length; i += 2) {
            names.add((String) namesAndBlocks[i]);
            block.add((Block) namesAndBlocks[i + 1]);
        }
        return new Architectures.Network(names, block);
    }

    static Conv2d conv(int filters, int kernel, int padding) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(padding, padding)).build();
    }

    static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /** conv1 (bias) relu1 pool1 conv2 (bias) relu2 gap fc (bias), input [N, 3, 12, 12], K outputs. */
    static Architectures.Network gapNet(int classes) {
        return network("conv1", conv(4, 3, 1), "relu1", Activation.reluBlock(),
                "pool1", Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)),
                "conv2", conv(6, 3, 1), "relu2", Activation.reluBlock(),
                "gap", Pool.globalAvgPool2dBlock(), "fc", linear(classes));
    }

    /** conv1 (no bias) bn1 relu1 pool1 conv2 (bias) relu2 gap fc: FullGrad's effective batch-norm bias. */
    static Architectures.Network batchNormNet(int classes) {
        return network("conv1", Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1)).optBias(false).build(),
                "bn1", BatchNorm.builder().optEpsilon(1e-3f).build(), "relu1", Activation.reluBlock(),
                "pool1", Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)),
                "conv2", conv(6, 3, 1), "relu2", Activation.reluBlock(),
                "gap", Pool.globalAvgPool2dBlock(), "fc", linear(classes));
    }

    /** Initialises {@code network} for {@code [1, channels, size, size]} in {@code manager}. */
    static Architectures.Network initialize(Architectures.Network network, NDManager manager, int channels, int size) {
        ContextLoader.run(() -> network.block().initialize(manager, DataType.FLOAT32,
                new Shape(1, channels, size, size)));
        return network;
    }

    /**
     * Sets every parameter to Gaussian values: weights of standard deviation {@code scale / sqrt(fan-in)}, other
     * parameters {@code scale}, running variances {@code 0.5 + |v|}.
     */
    static void randomize(Architectures.Network network, long seed, float scale) {
        Random random = new Random(seed);
        List<Block> children = List.copyOf(network.block().getChildren().values());
        for (int i = 0; i < children.size(); i++) {
            for (Pair<String, Parameter> parameter : children.get(i).getParameters()) {
                Shape shape = parameter.getValue().getArray().getShape();
                float[] values = new float[Math.toIntExact(shape.size())];
                boolean weight = parameter.getKey().equals("weight");
                double sd = weight ? scale / Math.sqrt((double) shape.size() / shape.get(0)) : scale;
                for (int v = 0; v < values.length; v++) {
                    float x = (float) (random.nextGaussian() * sd);
                    values[v] = parameter.getKey().equals("runningVar") ? 0.5f + Math.abs(x) : x;
                }
                BlockModels.setParameter(network, network.names().get(i), parameter.getKey(), values);
            }
        }
    }

    /** @return the values of a parameter of a layer */
    static float[] parameter(Architectures.Network network, String layer, String parameter) {
        Block block = List.copyOf(network.block().getChildren().values()).get(network.names().indexOf(layer));
        return block.getParameters().get(parameter).getArray().toFloatArray();
    }

    static ModelDescriptor descriptor(String name, int size, int classes) {
        return new ModelDescriptor(name, "pytorch", Path.of("/in-memory").toAbsolutePath(), "", size, size,
                new float[3], new float[] {1, 1, 1}, List.of(), "", Map.of("classes", String.valueOf(classes)));
    }

    /** Wraps a network initialised for {@code [1, channels, size, size]} with random parameters. */
    static LoadedModel randomModel(String name, Architectures.Network network, int channels, int size, int classes,
            long seed, float scale) {
        NDManager manager = BlockModels.newManager();
        initialize(network, manager, channels, size);
        randomize(network, seed, scale);
        return BlockModels.wrap(descriptor(name, size, classes), network, manager);
    }

    static Tensor gaussian(long seed, int... shape) {
        Random random = new Random(seed);
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.copyOf(data, shape);
    }
}
