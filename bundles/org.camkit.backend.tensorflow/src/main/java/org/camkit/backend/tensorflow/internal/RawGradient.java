package org.camkit.backend.tensorflow.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/*
 * cam:tfbench's raw engine: Grad-CAM's engine part as a TensorFlow user would run it, with no camkit code in between:
 * one Session run gives the logits, the target layer's activations and the gradient of the top logit at it, NHWC.
 * Two engines: the demo CNN's graph with the gradient added by TensorFlow (Graph.addGradients), and a Keras
 * SavedModel's gradients_<layer> signature (forward + gradient written by TensorFlow's own tape at export).
 */
interface RawGradient extends AutoCloseable {

    /** One run: the logits, the predicted class, the layer's channels and the gradient's sum (to use the values). */
    record Run(float[] logits, int predicted, int channels, double gradientSum) {

        /** Reads a run fetched as (logits, activations, gradient). */
        static Run of(Result result) {
            float[] logits = floats((TFloat32) result.get(0));
            double sum = 0;
            for (float v : floats((TFloat32) result.get(2))) {
                sum += v;
            }
            long[] shape = result.get(1).shape().asArray();
            return new Run(logits, argmax(logits), (int) shape[shape.length - 1], sum);
        }
    }

    /** @param nhwc one preprocessed image {@code [1, size, size, 3]} */
    Run run(float[] nhwc);

    @Override
    void close();

    /** The demo CNN built from a weight file (the PyTorch backend's format) for square inputs of {@code size}. */
    static RawGradient load(Path weights, int size, String layer) {
        DemoCnn.Weights parameters;
        try {
            parameters = DemoCnn.read(weights);
        } catch (IOException | RuntimeException e) {
            throw new CamException("cam:tfbench: cannot read the demo CNN's weights " + weights + ": "
                    + e.getMessage(), e);
        }
        TensorFlowRuntime.load();
        Graph graph = new Graph();
        try {
            return new DemoGraph(graph, size, DemoCnn.build(graph, parameters, size, size), layer);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * A SavedModel of tools/camkit-export-tf (descriptor architecture "keras") whose signatures take
     * {@code [N, size, size, 3]}.
     *
     * @param dir   the SavedModel directory
     * @param layer the exported layer whose signature gradients_&lt;layer&gt; runs
     */
    static RawGradient keras(Path dir, int size, String layer) {
        TensorFlowRuntime.load();
        ModelDescriptor descriptor = new ModelDescriptor("cam:tfbench raw engine", "tensorflow", dir, "keras", size,
                size, new float[3], new float[] {1, 1, 1}, List.of(), layer, Map.of());
        SavedModelBundle bundle = SavedModels.open(descriptor);
        try {
            return new KerasSignature(bundle, KerasSignatures.of(descriptor, bundle.signatures(), List.of(layer)),
                    size, layer);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static TFloat32 image(float[] nhwc, int size) {
        return TFloat32.tensorOf(Shape.of(1, size, size, 3), DataBuffers.of(nhwc, true, false));
    }

    private static float[] floats(TFloat32 tensor) {
        float[] values = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            best = values[k] > values[best] ? k : best;
        }
        return best;
    }

    /** The demo CNN's graph plus the gradient of its top logit (max over classes, in the graph) at the layer. */
    final class DemoGraph implements RawGradient {
        private final Graph graph;
        private final Session session;
        private final int size;
        private final Output<?> input;
        private final Output<?> logits;
        private final Output<?> activations;
        private final Output<?> gradient;

        private DemoGraph(Graph graph, int size, Network network, String layer) {
            this.graph = graph;
            this.size = size;
            this.input = network.input();
            this.logits = network.output();
            this.activations = network.layers().get(layer);
            if (activations == null) {
                throw new CamException("cam:tfbench: the demo CNN has no layer '" + layer + "'; its layers are "
                        + network.layers().keySet());
            }
            Ops tf = Ops.create(graph);
            Output<TFloat32> top = tf.withName("raw_top_logits").max(logits.expect(TFloat32.class), tf.constant(1))
                    .asOutput();
            Output<TFloat32> score = tf.withName("raw_score").sum(top, tf.constant(0)).asOutput();
            this.gradient = graph.addGradients(score, new Output<?>[] {activations})[0];
            this.session = new Session(graph);
        }

        @Override
        public Run run(float[] nhwc) {
            try (TFloat32 x = image(nhwc, size);
                    Result result = session.runner().feed(input, x).fetch(logits).fetch(activations).fetch(gradient)
                            .run()) {
                return Run.of(result);
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    /**
     * The signature gradients_&lt;layer&gt;(x, seed) -&gt; output, activations, gradients. Its seed (d score / d output)
     * is fed, not computed in the graph: the one-hot of the class the signature forward predicts for the first image
     * run (one extra session run, once), so the engine times one image's Grad-CAM, like the bench.
     */
    final class KerasSignature implements RawGradient {
        private final SavedModelBundle bundle;
        private final int size;
        private final KerasSignatures.Endpoint forward;
        private final KerasSignatures.Endpoint gradients;
        private float[] seed;

        private KerasSignature(SavedModelBundle bundle, KerasSignatures signatures, int size, String layer) {
            this.bundle = bundle;
            this.size = size;
            this.forward = signatures.forward();
            this.gradients = signatures.gradients(layer);
        }

        @Override
        public Run run(float[] nhwc) {
            try (TFloat32 x = image(nhwc, size)) {
                if (seed == null) {
                    seed = topClassSeed(x);
                }
                try (TFloat32 s = TFloat32.tensorOf(Shape.of(1, seed.length), DataBuffers.of(seed, true, false));
                        Result result = bundle.session().runner().feed(gradients.input("x"), x)
                                .feed(gradients.input("seed"), s).fetch(gradients.output("output"))
                                .fetch(gradients.output("activations")).fetch(gradients.output("gradients")).run()) {
                    return Run.of(result);
                }
            }
        }

        private float[] topClassSeed(TFloat32 x) {
            try (Result result = bundle.session().runner().feed(forward.input("x"), x)
                    .fetch(forward.output("output")).run()) {
                float[] logits = floats((TFloat32) result.get(0));
                float[] oneHot = new float[logits.length];
                oneHot[argmax(logits)] = 1;
                return oneHot;
            }
        }

        @Override
        public void close() {
            bundle.close();
        }
    }
}
