package org.camkit.backend.tensorflow.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/*
 * camkit's demo CNN ("camkit-democnn", the PyTorch backend's Architectures.DEMO_CNN) built in TensorFlow ops, NHWC,
 * from the weight file the PyTorch backend reads (DJL's Block.saveParameters stream): conv 32/64/128/256 with kernels
 * 5, 5, 3, 5 ('same' padding, bias), ReLU, 2x2 max-pool with stride 2 after the first three, global average pool,
 * linear. Operations carry the PyTorch backend's layer names (conv1, relu1, pool1, ..., relu4, gap, fc).
 */
final class DemoCnn {

    static final String ID = "camkit-democnn";

    private static final int[] FILTERS = {32, 64, 128, 256};
    private static final int[] KERNELS = {5, 5, 3, 5};

    /** The weights in PyTorch layouts: kernels OIHW, fc {@code [classes, 256]}. */
    record Weights(List<DjlParameters.Parameter> kernels, List<DjlParameters.Parameter> biases,
            DjlParameters.Parameter fcWeight, DjlParameters.Parameter fcBias) {

        int classes() {
            return fcWeight.dim(0);
        }
    }

    private DemoCnn() {
    }

    /** Reads the descriptor's weight file and builds the network in a new graph with its session. */
    static TfModel load(ModelDescriptor descriptor) {
        String name = descriptor.name();
        Path file = descriptor.file();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CamException("model '" + name + "': weights file " + file + " does not exist or is not "
                    + "readable; point \"file\" at the PyTorch demo model's .params file (camkit-train writes it)");
        }
        int classes = descriptor.classes();
        Weights weights;
        try {
            weights = read(file);
        } catch (IOException | RuntimeException e) {
            throw new CamException("model '" + name + "': cannot read weights file " + file + ": " + e.getMessage()
                    + ". It must be written by the PyTorch backend's Weights.save for architecture '" + ID + "'", e);
        }
        if (weights.classes() != classes) {
            throw new CamException("model '" + name + "': weights file " + file + " has " + weights.classes()
                    + " classes but the descriptor gives " + classes + "; fix \"labels\" (or \"classes\")");
        }
        Graph graph = new Graph();
        Session session = null;
        try {
            Network network = build(graph, weights, descriptor.inputHeight(), descriptor.inputWidth());
            Session owned = new Session(graph);
            session = owned;
            return new TfModel(descriptor, owned, network, TfBackend.GUIDED_HINT, () -> {
                        owned.close();
                        graph.close();
                    });
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw new CamException("model '" + name + "': cannot build the TensorFlow graph of '" + ID + "': "
                    + e.getMessage(), e);
        }
    }

    /** Reads a weight file written by the PyTorch backend's Weights.save for this architecture. */
    static Weights read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            DjlParameters stream = new DjlParameters(in);
            stream.sequential();
            List<DjlParameters.Parameter> kernels = new ArrayList<>();
            List<DjlParameters.Parameter> biases = new ArrayList<>();
            int channels = 3;
            for (int i = 0; i < FILTERS.length; i++) {
                stream.plainBlock("conv" + (i + 1), 3);
                DjlParameters.Parameter kernel = stream.parameter("weight");
                long[] expected = {FILTERS[i], channels, KERNELS[i], KERNELS[i]};
                if (!Arrays.equals(kernel.shape(), expected)) {
                    throw new IOException("conv" + (i + 1) + ": weight has shape "
                            + Arrays.toString(kernel.shape()) + ", expected "
                            + Arrays.toString(expected) + " (is it another architecture?)");
                }
                kernels.add(kernel);
                biases.add(stream.parameter("bias"));
                stream.plainBlock("relu" + (i + 1), 2);
                if (i < FILTERS.length - 1) {
                    stream.plainBlock("pool" + (i + 1), 2);
                }
                channels = FILTERS[i];
            }
            stream.plainBlock("gap", 2);
            stream.linear("fc");
            DjlParameters.Parameter fcWeight = stream.parameter("weight");
            DjlParameters.Parameter fcBias = stream.parameter("bias");
            if (fcWeight.shape().length != 2 || fcWeight.dim(1) != channels || fcBias.shape()[0] != fcWeight.dim(0)) {
                throw new IOException("fc: weight " + Arrays.toString(fcWeight.shape()) + " and bias "
                        + Arrays.toString(fcBias.shape()) + " do not make a linear layer from " + channels
                        + " features");
            }
            stream.end();
            return new Weights(kernels, biases, fcWeight, fcBias);
        }
    }

    /** Builds the network into an empty graph for inputs of {@code height x width} pixels. */
    static Network build(Graph graph, Weights weights, int height, int width) {
        Ops tf = Ops.create(graph);
        Placeholder<TFloat32> input = tf.withName("input")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, height, width, 3)));
        Map<String, Output<?>> layers = new LinkedHashMap<>();
        Map<String, GraphOperation> biases = new LinkedHashMap<>();
        Operand<TFloat32> x = input;
        for (int i = 0; i < FILTERS.length; i++) {
            String n = String.valueOf(i + 1);
            DjlParameters.Parameter kernel = weights.kernels().get(i);
            Operand<TFloat32> hwio = tf.withName("conv" + n + "_kernel").constant(
                    Shape.of(kernel.shape()[2], kernel.shape()[3], kernel.shape()[1], kernel.shape()[0]),
                    DataBuffers.of(oihwToHwio(kernel)));
            Operand<TFloat32> conv = tf.withName("conv" + n + "_conv2d").nn.conv2d(x, hwio, List.of(1L, 1L, 1L, 1L),
                    "SAME");
            x = tf.withName("conv" + n).nn.biasAdd(conv,
                    tf.withName("conv" + n + "_bias").constant(weights.biases().get(i).values()));
            layer(graph, layers, "conv" + n, x);
            biases.put("conv" + n, (GraphOperation) x.op());
            x = tf.withName("relu" + n).nn.relu(x);
            layer(graph, layers, "relu" + n, x);
            if (i < FILTERS.length - 1) {
                Operand<TInt32> window = tf.withName("pool" + n + "_window")
                        .constant(new int[] {1, 2, 2, 1});
                x = tf.withName("pool" + n).nn.maxPool(x, window, window, "VALID");
                layer(graph, layers, "pool" + n, x);
            }
        }
        x = tf.withName("gap").math.mean(x, tf.withName("gap_axes").constant(new int[] {1, 2}));
        layer(graph, layers, "gap", x);
        Operand<TFloat32> fcWeight = tf.withName("fc_weight").constant(
                Shape.of(weights.fcWeight().shape()[1], weights.fcWeight().shape()[0]),
                DataBuffers.of(transpose(weights.fcWeight())));
        x = tf.withName("fc").nn.biasAdd(tf.withName("fc_matmul").linalg.matMul(x, fcWeight),
                tf.withName("fc_bias").constant(weights.fcBias().values()));
        layer(graph, layers, "fc", x);
        biases.put("fc", (GraphOperation) x.op());
        LinearHead head = new LinearHead("relu4", Tensor.copyOf(weights.fcWeight().values(),
                new int[] {weights.classes(), weights.fcWeight().dim(1)}), weights.fcBias().values());
        return new Network(input.asOutput(), x.asOutput(), Layout.NHWC, layers, biases, head);
    }

    /** Records a layer, checking that TensorFlow kept its exact name (feeding by name relies on it). */
    private static void layer(Graph graph, Map<String, Output<?>> layers, String name, Operand<?> tensor) {
        if (!name.equals(tensor.op().name()) || graph.operation(name) == null) {
            throw new IllegalStateException("operation for layer " + name + " was named " + tensor.op().name());
        }
        layers.put(name, tensor.asOutput());
    }

    /** PyTorch's convolution kernel {@code [out, in, kh, kw]} as TensorFlow's {@code [kh, kw, in, out]}. */
    static float[] oihwToHwio(DjlParameters.Parameter kernel) {
        int o = kernel.dim(0);
        int in = kernel.dim(1);
        int kh = kernel.dim(2);
        int kw = kernel.dim(3);
        float[] src = kernel.values();
        float[] dst = new float[src.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < in; b++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        dst[((y * kw + x) * in + b) * o + a] = src[((a * in + b) * kh + y) * kw + x];
                    }
                }
            }
        }
        return dst;
    }

    /** A linear layer's {@code [out, in]} as the {@code [in, out]} a right-hand matMul needs. */
    static float[] transpose(DjlParameters.Parameter matrix) {
        int rows = matrix.dim(0);
        int cols = matrix.dim(1);
        float[] src = matrix.values();
        float[] dst = new float[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
        return dst;
    }
}
