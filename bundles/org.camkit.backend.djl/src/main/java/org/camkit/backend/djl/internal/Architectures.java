package org.camkit.backend.djl.internal;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Network architectures built in Java, by the id a model descriptor names in {@code architecture}. */
public final class Architectures {

    /** The demo CNN: conv 32/64/128/256 (kernels 5, 5, 3, 5), ReLU, max-pool, global average pool, linear. */
    public static final String DEMO_CNN = "camkit-democnn";

    private static final Map<String, IntFunction<Network>> FACTORIES = Map.of(DEMO_CNN, Architectures::demoCnn);

    private Architectures() {
    }

    /**
     * A sequential network whose children carry camkit layer names.
     *
     * @param names one name per child of {@code block}, in order
     * @param block the network
     */
    public record Network(List<String> names, SequentialBlock block) {
        public Network {
            names = List.copyOf(names);
        }
    }

    /** @return the ids {@link #build} knows */
    public static List<String> ids() {
        return FACTORIES.keySet().stream().sorted().toList();
    }

    /**
     * @param id      an architecture id
     * @param classes the number of outputs
     * @return a fresh, uninitialised network, or null if the id is unknown
     */
    public static Network build(String id, int classes) {
        IntFunction<Network> factory = FACTORIES.get(id);
        return factory == null ? null : factory.apply(classes);
    }

    private static Network demoCnn(int classes) {
        List<String> names = new ArrayList<>();
        SequentialBlock block = new SequentialBlock();
        int[] filters = {32, 64, 128, 256};
        int[] kernels = {5, 5, 3, 5};
        for (int i = 0; i < filters.length; i++) {
            int k = kernels[i];
            add(names, block, "conv" + (i + 1), Conv2d.builder().setFilters(filters[i])
                    .setKernelShape(new Shape(k, k)).optPadding(new Shape(k / 2, k / 2)).build());
            add(names, block, "relu" + (i + 1), Activation.reluBlock());
            if (i < filters.length - 1) {
                add(names, block, "pool" + (i + 1), Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        add(names, block, "gap", Pool.globalAvgPool2dBlock());
        add(names, block, "fc", Linear.builder().setUnits(classes).build());
        return new Network(names, block);
    }

    private static void add(List<String> names, SequentialBlock block, String name, Block child) {
        names.add(name);
        block.add(child);
    }
}
