package org.camkit.backend.tensorflow.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/*
 * The gradient ops of one model, added to its graph once when it loads (Graph.addGradients): d(sum(seed * output))
 * with respect to every tensor camkit may ask about, the seed being a placeholder fed with the target's gradient.
 * A run fetches only the gradients it needs; TensorFlow prunes the rest.
 */
final class Gradients {

    private final Output<TFloat32> seed;
    private final Map<Output<?>, Output<?>> gradients;

    private Gradients(Output<TFloat32> seed, Map<Output<?>, Output<?>> gradients) {
        this.seed = seed;
        this.gradients = gradients;
    }

    /**
     * Adds a seed placeholder and the gradients of {@code output} with respect to {@code targets} to {@code graph}.
     * Call before any session runs concurrently on the graph.
     */
    static Gradients add(Graph graph, Output<?> output, Collection<Output<?>> targets) {
        Output<TFloat32> seed = Ops.create(graph).withName(freeName(graph, "camkit_seed"))
                .placeholder(TFloat32.class).output();
        List<Output<?>> xs = new ArrayList<>(new LinkedHashSet<>(targets));
        Output<?>[] dy = graph.addGradients(freeName(graph, "camkit_gradients"), new Output<?>[] {output},
                xs.toArray(new Output<?>[0]), new Output<?>[] {seed});
        Map<Output<?>, Output<?>> gradients = new LinkedHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
            gradients.put(xs.get(i), dy[i]);
        }
        return new Gradients(seed, gradients);
    }

    /** @return the seed placeholder */
    Output<TFloat32> seed() {
        return seed;
    }

    /** @return the gradient tensor of {@code target}; the seed itself when {@code target} is the output */
    Output<?> of(Output<?> target) {
        Output<?> gradient = gradients.get(target);
        if (gradient == null) {
            throw new IllegalArgumentException("no gradient was added for " + target);
        }
        return gradient;
    }

    /** @return whether {@code gradient} is the seed itself (fetching it would be refused: it is fed) */
    boolean isSeed(Output<?> gradient) {
        return gradient.equals(seed);
    }

    /** @return {@code base}, or {@code base_2}, ... : a name no operation uses or prefixes */
    private static String freeName(Graph graph, String base) {
        List<String> names = new ArrayList<>();
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext();) {
            names.add(it.next().name());
        }
        String name = base;
        for (int i = 2; taken(names, name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static boolean taken(List<String> names, String name) {
        return names.stream().anyMatch(n -> n.equals(name) || n.startsWith(name + "/"));
    }
}
