package org.camkit.backend.tensorflow.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.spi.ModelDescriptor;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/*
 * A tiny NHWC network built with TensorFlow Java, exported as a SavedModel (VariableV2 variables), with its weights
 * kept in Java for hand computation: input [N, 6, 6, 3] -> conv 3x3 'same' to 4 channels + bias ("biased") -> ReLU
 * ("act") -> mean over height and width ("gap") -> matMul to 2 classes + bias ("logits").
 */
final class TinySavedModel {

    static final int SIZE = 6;
    static final int IN = 3;
    static final int CHANNELS = 4;
    static final int CLASSES = 2;

    /** HWIO {@code [3, 3, IN, CHANNELS]}. */
    final float[] kernel = new float[3 * 3 * IN * CHANNELS];
    final float[] bias = new float[CHANNELS];
    /** {@code [CHANNELS, CLASSES]}. */
    final float[] weight = new float[CHANNELS * CLASSES];
    final float[] classBias = new float[CLASSES];

    TinySavedModel(long seed) {
        Random random = new Random(seed);
        fill(random, kernel, 0.5f);
        fill(random, bias, 0.3f);
        fill(random, weight, 1f);
        fill(random, classBias, 0.2f);
    }

    /** Builds, initialises and exports the graph to {@code dir}. */
    void export(Path dir) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> k = tf.withName("kernel").variable(
                    tf.constant(Shape.of(3, 3, IN, CHANNELS), DataBuffers.of(kernel)));
            Operand<TFloat32> b = tf.withName("bias").variable(tf.constant(bias));
            Operand<TFloat32> w = tf.withName("weight").variable(
                    tf.constant(Shape.of(CHANNELS, CLASSES), DataBuffers.of(weight)));
            Operand<TFloat32> c = tf.withName("class_bias").variable(tf.constant(classBias));
            Placeholder<TFloat32> input = network(tf, k, b, w, c);
            try (Session session = new Session(graph)) {
                session.initialize();
                SavedModelBundle.exporter(dir.toString()).withSession(session)
                        .withSignature(Signature.builder().input("x", input)
                                .output("y", graph.operation("logits").output(0)).build()).export();
            }
        }
    }

    /** Builds the same network with its weights as constants and writes the GraphDef to {@code file}. */
    void freeze(Path file) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            network(tf, tf.constant(Shape.of(3, 3, IN, CHANNELS), DataBuffers.of(kernel)), tf.constant(bias),
                    tf.constant(Shape.of(CHANNELS, CLASSES), DataBuffers.of(weight)), tf.constant(classBias));
            java.nio.file.Files.write(file, graph.toGraphDef().toByteArray());
        }
    }

    /** input -> conv -> biased -> act -> gap -> fc -> logits; returns the input placeholder. */
    private static Placeholder<TFloat32> network(Ops tf, Operand<TFloat32> k, Operand<TFloat32> b,
            Operand<TFloat32> w, Operand<TFloat32> c) {
        Placeholder<TFloat32> input = tf.withName("input")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIZE, SIZE, IN)));
        var conv = tf.withName("conv").nn.conv2d(input, k, List.of(1L, 1L, 1L, 1L), "SAME");
        var biased = tf.withName("biased").nn.biasAdd(conv, b);
        var act = tf.withName("act").nn.relu(biased);
        var gap = tf.withName("gap").math.mean(act, tf.constant(new int[] {1, 2}));
        tf.withName("logits").nn.biasAdd(tf.withName("fc").linalg.matMul(gap, w), c);
        return input;
    }

    static ModelDescriptor descriptor(Path dir, Map<String, String> properties) {
        return new ModelDescriptor("tiny", "tensorflow", dir, SavedModels.ID, SIZE, SIZE, new float[] {0, 0, 0},
                new float[] {1, 1, 1}, List.of("a", "b"), "act", properties);
    }

    static Map<String, String> properties() {
        return Map.of("input", "input", "output", "logits", "layers", "biased,act");
    }

    // ---- the same network by hand, in double precision, camkit layouts (NCHW) ----

    /** @return the convolution + bias {@code [N, CHANNELS, SIZE, SIZE]} of {@code x [N, IN, SIZE, SIZE]} */
    double[] biased(float[] x, int n) {
        double[] out = new double[n * CHANNELS * SIZE * SIZE];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < CHANNELS; o++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int z = 0; z < SIZE; z++) {
                        double sum = bias[o];
                        for (int i = 0; i < IN; i++) {
                            for (int dy = 0; dy < 3; dy++) {
                                for (int dz = 0; dz < 3; dz++) {
                                    int yy = y + dy - 1;
                                    int zz = z + dz - 1;
                                    if (yy >= 0 && yy < SIZE && zz >= 0 && zz < SIZE) {
                                        sum += x[((b * IN + i) * SIZE + yy) * SIZE + zz]
                                                * kernel[((dy * 3 + dz) * IN + i) * CHANNELS + o];
                                    }
                                }
                            }
                        }
                        out[((b * CHANNELS + o) * SIZE + y) * SIZE + z] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** @return the logits {@code [N, CLASSES]} from activations {@code [N, CHANNELS, SIZE, SIZE]} */
    double[] logits(double[] act, int n) {
        double[] out = new double[n * CLASSES];
        int area = SIZE * SIZE;
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < CLASSES; k++) {
                double sum = classBias[k];
                for (int c = 0; c < CHANNELS; c++) {
                    double mean = 0;
                    for (int p = 0; p < area; p++) {
                        mean += act[(b * CHANNELS + c) * area + p];
                    }
                    sum += mean / area * weight[c * CLASSES + k];
                }
                out[b * CLASSES + k] = sum;
            }
        }
        return out;
    }

    /** @return d(sum(seed * logits)) / d(act), {@code [N, CHANNELS, SIZE, SIZE]} */
    double[] actGradient(float[] seed, int n) {
        double[] out = new double[n * CHANNELS * SIZE * SIZE];
        int area = SIZE * SIZE;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < CHANNELS; c++) {
                double g = 0;
                for (int k = 0; k < CLASSES; k++) {
                    g += seed[b * CLASSES + k] * weight[c * CLASSES + k];
                }
                for (int p = 0; p < area; p++) {
                    out[(b * CHANNELS + c) * area + p] = g / area;
                }
            }
        }
        return out;
    }

    /** @return d(sum(seed * logits)) / d(input) {@code [N, IN, SIZE, SIZE]}, given the biased pre-activations */
    double[] inputGradient(double[] biasedGradient, int n) {
        double[] out = new double[n * IN * SIZE * SIZE];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < CHANNELS; o++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int z = 0; z < SIZE; z++) {
                        double g = biasedGradient[((b * CHANNELS + o) * SIZE + y) * SIZE + z];
                        for (int i = 0; i < IN; i++) {
                            for (int dy = 0; dy < 3; dy++) {
                                for (int dz = 0; dz < 3; dz++) {
                                    int yy = y + dy - 1;
                                    int zz = z + dz - 1;
                                    if (yy >= 0 && yy < SIZE && zz >= 0 && zz < SIZE) {
                                        out[((b * IN + i) * SIZE + yy) * SIZE + zz] += g
                                                * kernel[((dy * 3 + dz) * IN + i) * CHANNELS + o];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    static double[] relu(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(0, x[i]);
        }
        return out;
    }

    private static void fill(Random random, float[] values, float scale) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
    }
}
