package org.camkit.backend.tensorflow.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.camkit.api.CamException;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/*
 * cam:tfbench's raw engine: the demo CNN's graph as a TensorFlow user would write Grad-CAM's engine part, with the
 * gradient of the top logit at the target layer added by TensorFlow (Graph.addGradients). One Session run gives the
 * logits, the layer's activations and its gradient, NHWC, with no camkit code in between.
 */
final class RawGradient implements AutoCloseable {

    /** One run: the logits, the predicted class, the layer's channels and the gradient's sum (to use the values). */
    record Run(float[] logits, int predicted, int channels, double gradientSum) {
    }

    private final Graph graph;
    private final Session session;
    private final int size;
    private final Output<?> input;
    private final Output<?> logits;
    private final Output<?> activations;
    private final Output<?> gradient;

    private RawGradient(Graph graph, int size, Network network, String layer) {
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

    /** Builds the demo CNN from a weight file (the PyTorch backend's format) for square inputs of {@code size}. */
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
            return new RawGradient(graph, size, DemoCnn.build(graph, parameters, size, size), layer);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** @param nhwc one preprocessed image {@code [1, size, size, 3]} */
    Run run(float[] nhwc) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(1, size, size, 3), DataBuffers.of(nhwc, true, false));
                Result result = session.runner().feed(input, x).fetch(logits).fetch(activations).fetch(gradient)
                        .run()) {
            TFloat32 out = (TFloat32) result.get(0);
            float[] values = new float[(int) out.shape().size()];
            out.copyTo(DataBuffers.of(values, false, false));
            TFloat32 g = (TFloat32) result.get(2);
            float[] gradients = new float[(int) g.shape().size()];
            g.copyTo(DataBuffers.of(gradients, false, false));
            double sum = 0;
            for (float v : gradients) {
                sum += v;
            }
            int predicted = 0;
            for (int k = 1; k < values.length; k++) {
                predicted = values[k] > values[predicted] ? k : predicted;
            }
            long[] shape = result.get(1).shape().asArray();
            return new Run(values, predicted, (int) shape[shape.length - 1], sum);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
