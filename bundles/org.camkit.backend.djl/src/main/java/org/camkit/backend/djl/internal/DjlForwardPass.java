package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.Tensor;

/*
 * One forward pass: its native arrays live in a sub-manager closed with the pass; captured layers are gradient leaves.
 * The seed is back-propagated from each root (the output, or one output per captured layer when every layer has its
 * own head, as in TorchScript models); a layout turns a leaf's raw tensor into the [N, C, h, w] camkit shows.
 */
final class DjlForwardPass implements ForwardPass {

    private final String model;
    private final NDManager manager;
    private final NDArray output;
    private final Map<String, NDArray> captured;
    private final List<NDArray> roots;
    private final Map<String, UnaryOperator<Tensor>> layouts;
    private Tensor outputTensor;
    private boolean backPropagated;

    /** A pass whose captured leaves all feed {@code output}, shown as they are. */
    DjlForwardPass(String model, NDManager manager, NDArray output, Map<String, NDArray> captured) {
        this(model, manager, output, captured, List.of(output), Map.of());
    }

    /**
     * @param roots   the arrays to back-propagate the seed from, each shaped like {@code output}; together they
     *                reach every captured leaf once
     * @param layouts per layer, how its raw tensor (activations and gradient) is shown; absent: as it is
     */
    DjlForwardPass(String model, NDManager manager, NDArray output, Map<String, NDArray> captured,
            List<NDArray> roots, Map<String, UnaryOperator<Tensor>> layouts) {
        this.model = model;
        this.manager = manager;
        this.output = output;
        this.captured = captured;
        this.roots = List.copyOf(roots);
        this.layouts = Map.copyOf(layouts);
    }

    @Override
    public Tensor output() {
        if (outputTensor == null) {
            outputTensor = ContextLoader.call(() -> Tensors.fromNd(output));
        }
        return outputTensor;
    }

    @Override
    public Tensor activations(String layer) {
        return ContextLoader.call(() -> shown(layer, leaf(layer)));
    }

    @Override
    public Map<String, Tensor> gradients(Tensor seed) {
        long[] outputShape = output.getShape().getShape();
        if (!Arrays.equals(Arrays.stream(seed.shape()).asLongStream().toArray(), outputShape)) {
            throw new CamException("model '" + model + "': gradient seed " + seed + " must have the output's shape "
                    + Arrays.toString(outputShape));
        }
        if (backPropagated) {
            throw new CamException("model '" + model + "': gradients were already computed for this forward pass; "
                    + "run a new forward pass to back-propagate another seed");
        }
        backPropagated = true;
        if (captured.isEmpty()) {
            return Map.of();
        }
        try {
            return ContextLoader.call(() -> OneDnn.backward(() -> {
                NDArray seedArray = Tensors.toNd(manager, seed);
                for (NDArray root : roots) {
                    JniUtils.backward((PtNDArray) root, (PtNDArray) seedArray, false, false);
                }
                Map<String, Tensor> gradients = new LinkedHashMap<>();
                captured.forEach((layer, leaf) -> gradients.put(layer, shown(layer, leaf.getGradient())));
                return gradients;
            }));
        } catch (RuntimeException e) {
            throw new CamException("model '" + model + "': back-propagation to " + captured.keySet() + " failed: "
                    + e.getMessage() + " (was the pass or its model closed?)", e);
        }
    }

    @Override
    public void close() {
        ContextLoader.run(manager::close);
    }

    private Tensor shown(String layer, NDArray array) {
        Tensor raw = Tensors.fromNd(array);
        UnaryOperator<Tensor> layout = layouts.get(layer);
        return layout == null ? raw : layout.apply(raw);
    }

    private NDArray leaf(String layer) {
        NDArray leaf = captured.get(layer);
        if (leaf == null) {
            throw new CamException("model '" + model + "': layer '" + layer + "' was not captured in this pass; "
                    + "captured: " + captured.keySet() + ". Name it in LoadedModel.forward");
        }
        return leaf;
    }
}
