package org.camkit.backend.tensorflow.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.testkit.BackendConformance;
import org.camkit.testkit.ReferenceNet;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The testkit's backend suite on the reference nets built as TensorFlow graphs (NHWC, weights as constants, every
 * layer an operation of its name, biases as BiasAdd) and loaded as frozen graphs.
 */
class TfConformanceTest extends BackendConformance {

    @TempDir
    Path graphs;

    @Override
    protected LoadedModel load(ReferenceNet net) {
        TensorFlowRuntime.load(); // the natives, before the graph is built here
        Path file = graphs.resolve(net.name() + ".pb");
        try {
            Files.write(file, graphDef(net));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String layers = net.layers().stream().map(ReferenceNet.Layer::name).collect(Collectors.joining(","));
        return new TfBackend().load(net.descriptor("tensorflow", file, SavedModels.FROZEN, Map.of("input", "input",
                "output", net.layers().get(net.layers().size() - 1).name(), "layers", layers)));
    }

    /** Everything but guided backpropagation (TfBackend says why) and a linear head (only the demo CNN has one). */
    @Override
    protected Optional<Set<Capability>> expectedCapabilities(ReferenceNet net) {
        return Optional.of(EnumSet.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.FORWARD_FROM_LAYER,
                Capability.BACKWARD_FROM_LAYER, Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS));
    }

    /** @return the serialized GraphDef of the net: input placeholder {@code input}, then one operation per layer */
    static byte[] graphDef(ReferenceNet net) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, net.height(), net.width(), 3)));
            for (ReferenceNet.Layer layer : net.layers()) {
                x = layer(tf, layer, x);
            }
            return graph.toGraphDef().toByteArray();
        }
    }

    private static Operand<TFloat32> layer(Ops tf, ReferenceNet.Layer layer, Operand<TFloat32> x) {
        String name = layer.name();
        if (layer instanceof ReferenceNet.Conv2d c) {
            String padding = c.padding() == 0 ? "VALID" : 2 * c.padding() == c.kernel() - 1 ? "SAME" : null;
            if (padding == null) {
                throw new IllegalArgumentException("conv '" + name + "': padding " + c.padding() + " with kernel "
                        + c.kernel() + " is neither VALID nor SAME");
            }
            var conv = tf.withName(name + "_conv").nn.conv2d(x, tf.constant(Shape.of(c.kernel(), c.kernel(), c.in(),
                    c.out()), DataBuffers.of(hwio(c))), List.of(1L, 1L, 1L, 1L), padding);
            return tf.withName(name).nn.biasAdd(conv, tf.constant(c.bias().toArray()));
        } else if (layer instanceof ReferenceNet.Linear l) {
            var product = tf.withName(name + "_matmul").linalg.matMul(x, tf.constant(Shape.of(l.in(), l.out()),
                    DataBuffers.of(transposed(l.weight().toArray(), l.out(), l.in()))));
            return tf.withName(name).nn.biasAdd(product, tf.constant(l.bias().toArray()));
        } else if (layer instanceof ReferenceNet.GlobalAvgPool) {
            return tf.withName(name).math.mean(x, tf.constant(new int[] {1, 2}));
        } else if (layer instanceof ReferenceNet.Flatten) {
            // channel-major, as PyTorch flattens [C, h, w]: NHWC to NCHW first
            var nchw = tf.withName(name + "_nchw").linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
            return tf.withName(name).reshape(nchw, tf.constant(new int[] {-1, flatSize(x)}));
        }
        return tf.withName(name).nn.relu(x);
    }

    private static int flatSize(Operand<TFloat32> x) {
        long[] dims = x.shape().asArray();
        return (int) (dims[1] * dims[2] * dims[3]);
    }

    /** @return {@code [out, in, k, k]} weights as TensorFlow's {@code [k, k, in, out]} */
    private static float[] hwio(ReferenceNet.Conv2d c) {
        float[] w = c.weight().toArray();
        float[] out = new float[w.length];
        int k = c.kernel();
        for (int o = 0; o < c.out(); o++) {
            for (int i = 0; i < c.in(); i++) {
                for (int d = 0; d < k * k; d++) {
                    out[(d * c.in() + i) * c.out() + o] = w[(o * c.in() + i) * k * k + d];
                }
            }
        }
        return out;
    }

    /** @return {@code [rows, cols]} transposed to {@code [cols, rows]} */
    private static float[] transposed(float[] w, int rows, int cols) {
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = w[r * cols + c];
            }
        }
        return out;
    }
}
