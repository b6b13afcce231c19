package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.camkit.spi.LinearHead;
import org.camkit.spi.Randomisation;
import org.camkit.spi.Tensor;

// A sequential network's children with their camkit names and shapes: the one place that runs them one by one.
final class Chain {

    /** What the next child sees instead of a child's output (capture, gradient leaf, or the output itself). */
    interface Step {
        NDArray after(int child, NDArray output);
    }

    private final List<String> names;
    private final List<Block> blocks;
    /** The input shape the network was initialised with, {@code [1, C, H, W]}. */
    private final Shape input;
    /** Each child's output shape for that input. */
    private final List<Shape> shapes = new ArrayList<>();

    /** Call with this bundle as context class loader: shapes of lambda children are computed by running them. */
    Chain(Architectures.Network network) {
        this.names = network.names();
        this.blocks = List.copyOf(network.block().getChildren().values());
        if (names.size() != blocks.size() || new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("a network needs one distinct name per child: " + names.size()
                    + " names " + names + " for " + blocks.size() + " children");
        }
        if (!network.block().isInitialized()) {
            throw new IllegalArgumentException("initialise the network " + names + " before wrapping it");
        }
        this.input = network.block().getInputShapes()[0];
        Shape[] shape = {input};
        for (Block block : blocks) {
            shape = block.getOutputShapes(shape);
            shapes.add(shape[0]);
        }
    }

    List<String> names() {
        return names;
    }

    int size() {
        return blocks.size();
    }

    /** @return the position of a layer, or -1 */
    int index(String layer) {
        return names.indexOf(layer);
    }

    /** @return the input shape the network was initialised with, {@code [1, C, H, W]} */
    Shape input() {
        return input;
    }

    /** @return the number of input channels the network was initialised with */
    long inputChannels() {
        return input.get(1);
    }

    /** @return the shape of child {@code i}'s output for one image, without the batch axis */
    Shape shape(int i) {
        return shapes.get(i).slice(1);
    }

    /** Runs children {@code from}, {@code from + 1}, ... to the end on {@code x}, each output through {@code step}. */
    NDArray run(ParameterStore parameters, NDArray x, int from, Step step) {
        for (int i = from; i < blocks.size(); i++) {
            x = step.after(i, blocks.get(i).forward(parameters, new NDList(x), false).singletonOrThrow());
        }
        return x;
    }

    /** @return whether child {@code i} is a ReLU block ({@code Activation.reluBlock()}: guided backprop's ReLUs) */
    boolean isRelu(int i) {
        return blocks.get(i) instanceof LambdaBlock lambda && "ReLU".equals(lambda.getName());
    }

    /** @return the child whose output enters a final global-average-pool + linear pair, or -1 */
    int headInput() {
        int n = blocks.size();
        return n >= 3 && blocks.get(n - 2) instanceof LambdaBlock pool && "globalAvgPool2d".equals(pool.getName())
                && blocks.get(n - 1) instanceof Linear ? n - 3 : -1;
    }

    /** @return the final global-average-pool + linear head; call only if {@link #headInput()} is not -1 */
    LinearHead linearHead() {
        int fc = blocks.size() - 1;
        Tensor weights = Tensors.fromNd(parameter(fc, "weight").getArray());
        Parameter bias = parameter(fc, "bias");
        float[] b = bias == null || !bias.isInitialized() ? new float[weights.dim(0)] : bias.getArray().toFloatArray();
        return new LinearHead(names.get(headInput()), weights, b);
    }

    /** The parameters the sanity check re-draws; batch norm's statistics and scale are kept. */
    private static final List<String> RANDOMISED = List.of("weight", "bias");

    /** @return the children that hold weights, in network order */
    List<String> weighted() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Parameter weight = parameter(i, "weight");
            if (weight != null && weight.isInitialized() && !(blocks.get(i) instanceof BatchNorm)) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    /**
     * Re-draws child {@code i}'s weight and bias in place ({@link Randomisation#redrawn}).
     */
    void randomise(int i, Random random) {
        for (String name : RANDOMISED) {
            Parameter p = parameter(i, name);
            if (p == null || !p.isInitialized()) {
                continue;
            }
            NDArray array = p.getArray();
            float[] values = Randomisation.redrawn(array.toFloatArray(), random);
            array.set(values);
        }
    }

    /** @return a parameter of child {@code i}, or null */
    Parameter parameter(int i, String name) {
        return blocks.get(i).getParameters().get(name);
    }

    /**
     * @return child {@code i}'s bias {@code [C]} in {@code manager}, or null if it has none; a batch norm's
     *         effective bias {@code beta - mean * gamma / sqrt(var + eps)} is its output on zeros
     */
    NDArray bias(int i, NDManager manager, ParameterStore parameters) {
        Block block = blocks.get(i);
        if (block instanceof BatchNorm) {
            long channels = shapes.get(i).get(1);
            NDArray zeros = manager.zeros(new Shape(1, channels, 1, 1));
            return block.forward(parameters, new NDList(zeros), false).singletonOrThrow().reshape(channels);
        }
        Parameter bias = parameter(i, "bias");
        if (bias == null || !bias.isInitialized()) {
            return null;
        }
        NDArray array = bias.getArray();
        return manager.create(array.toFloatArray(), array.getShape());
    }
}
