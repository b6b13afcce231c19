package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.spi.InputGradients;
import org.camkit.spi.Tensor;

/*
 * LoadedModel.backward, child by child: the forward pass keeps every child's input as a gradient leaf, then the seed
 * is carried back one child at a time (autograd from the child's output to its input leaf), which gives the input
 * gradient, the gradient at every child's output (for FullGrad's bias terms) and room to replace a ReLU's backward by
 * the guided rule g * [x > 0] * [g > 0]. Call with grad mode on, in a sub-manager, as context class loader.
 */
final class Backward {

    private final Chain chain;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final NDArray[] inputs;
    private final NDArray[] outputs;

    private Backward(Chain chain, NDManager manager) {
        this.chain = chain;
        this.manager = manager;
        this.parameters = new ParameterStore(manager, false);
        this.inputs = new NDArray[chain.size()];
        this.outputs = new NDArray[chain.size()];
    }

    /** Runs the network on {@code input} and back-propagates {@code seed} (already checked against the output). */
    static InputGradients run(Chain chain, NDManager manager, NDArray input, Tensor seed, boolean guided) {
        Backward backward = new Backward(chain, manager);
        backward.forward(input);
        return OneDnn.backward(() -> backward.backward(Tensors.toNd(manager, seed), guided));
    }

    private void forward(NDArray input) {
        inputs[0] = leaf(input);
        chain.run(parameters, inputs[0], 0, (i, out) -> {
            outputs[i] = out;
            NDArray next = leaf(out);
            if (i + 1 < inputs.length) {
                inputs[i + 1] = next;
            }
            return next;
        });
    }

    private InputGradients backward(NDArray seed, boolean guided) {
        NDArray g = seed;
        List<Map.Entry<String, Tensor>> terms = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!guided) {
                NDArray bias = chain.bias(i, manager, parameters);
                if (bias != null) {
                    terms.add(Map.entry(chain.names().get(i), Tensors.fromNd(biasTerm(bias, g))));
                }
            }
            if (guided && chain.isRelu(i)) {
                g = g.mul(positive(inputs[i])).mul(positive(g));
            } else {
                JniUtils.backward((PtNDArray) outputs[i], (PtNDArray) g, false, false);
                g = inputs[i].getGradient();
            }
        }
        Map<String, Tensor> biasTerms = new LinkedHashMap<>();
        for (int i = terms.size() - 1; i >= 0; i--) {
            biasTerms.put(terms.get(i).getKey(), terms.get(i).getValue());
        }
        return new InputGradients(Tensors.fromNd(outputs[chain.size() - 1]), Tensors.fromNd(g), biasTerms);
    }

    /** @return {@code bias[c] * g[n, c, i, j]}; a linear layer's {@code g [N, K]} becomes {@code [N, K, 1, 1]} */
    private static NDArray biasTerm(NDArray bias, NDArray g) {
        long[] shape = g.getShape().getShape();
        if (shape.length != 2 && shape.length != 4) {
            throw new IllegalStateException("bias terms need a child output [N, C] or [N, C, h, w], got "
                    + g.getShape());
        }
        NDArray g4 = shape.length == 2 ? g.reshape(shape[0], shape[1], 1, 1) : g;
        return g4.mul(bias.reshape(1, shape[1], 1, 1));
    }

    private static NDArray positive(NDArray x) {
        return x.gt(0).toType(DataType.FLOAT32, false);
    }

    private static NDArray leaf(NDArray array) {
        NDArray leaf = array.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }
}
