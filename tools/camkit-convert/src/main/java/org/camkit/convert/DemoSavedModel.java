package org.camkit.convert;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
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
import org.tensorflow.types.TInt32;

/**
 * camkit's demo CNN ({@code camkit-democnn} of the PyTorch backend) as a TF1-style SavedModel, built in TensorFlow
 * ops, NHWC, from the weights file the PyTorch backend reads (DJL's {@code Block.saveParameters} stream): conv
 * 32/64/128/256 with kernels 5, 5, 3, 5 ('same' padding, bias), ReLU, 2x2 max-pool with stride 2 after the first
 * three, global average pool, linear. Operations carry the PyTorch model's layer names ({@link #LAYERS}); the
 * weights are {@code VariableV2} variables; the input {@code [N, H, W, 3]} takes any height and width. The TensorFlow
 * backend loads the result as architecture {@code savedmodel} with the properties {@code input=input},
 * {@code output=fc}, {@code layers=} {@link #LAYERS} and {@code layout=NHWC}.
 */
public final class DemoSavedModel {

    /** The operations a descriptor lists as layers, in network order: the PyTorch demo model's layers. */
    public static final List<String> LAYERS = List.of("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3",
            "relu3", "pool3", "conv4", "relu4", "gap", "fc");

    private static final int[] FILTERS = {32, 64, 128, 256};
    private static final int[] KERNELS = {5, 5, 3, 5};

    /** The weights in PyTorch layouts: kernels OIHW, fc {@code [classes, 256]}. */
    record Weights(List<DjlParameters.Parameter> kernels, List<DjlParameters.Parameter> biases,
            DjlParameters.Parameter fcWeight, DjlParameters.Parameter fcBias) {

        int classes() {
            return fcWeight.dim(0);
        }
    }

    private DemoSavedModel() {
    }

    /**
     * Converts a weights file into a SavedModel directory, replacing what {@code out} held.
     *
     * @param params the PyTorch demo model's weights ({@code models/demo-*.params})
     * @param out    the SavedModel directory to write
     * @throws IOException naming the weights file if it is not the demo CNN's, or if {@code out} cannot be written
     */
    public static void convert(Path params, Path out) throws IOException {
        Weights weights;
        try {
            weights = read(params);
        } catch (IOException e) {
            throw new IOException("cannot read the weights file " + params + ": " + e.getMessage() + ". It must be "
                    + "written by the PyTorch backend's Weights.save for architecture 'camkit-democnn' "
                    + "(./camkit train-demo writes it)", e);
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        delete(partial);
        export(weights, partial);
        delete(out);
        Files.move(partial, out);
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

    /** Builds the network with its weights as variables and exports it, signature {@code x -> y}, to {@code dir}. */
    private static void export(Weights weights, Path dir) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.withName("input")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
            Operand<TFloat32> x = input;
            for (int i = 0; i < FILTERS.length; i++) {
                String n = String.valueOf(i + 1);
                DjlParameters.Parameter kernel = weights.kernels().get(i);
                Operand<TFloat32> hwio = tf.withName("conv" + n + "_kernel").variable(tf.constant(
                        Shape.of(kernel.shape()[2], kernel.shape()[3], kernel.shape()[1], kernel.shape()[0]),
                        DataBuffers.of(oihwToHwio(kernel))));
                Operand<TFloat32> bias = tf.withName("conv" + n + "_bias")
                        .variable(tf.constant(weights.biases().get(i).values()));
                x = layer(graph, "conv" + n, tf.withName("conv" + n).nn.biasAdd(tf.withName("conv" + n + "_conv2d")
                        .nn.conv2d(x, hwio, List.of(1L, 1L, 1L, 1L), "SAME"), bias));
                x = layer(graph, "relu" + n, tf.withName("relu" + n).nn.relu(x));
                if (i < FILTERS.length - 1) {
                    Operand<TInt32> window = tf.withName("pool" + n + "_window").constant(new int[] {1, 2, 2, 1});
                    x = layer(graph, "pool" + n, tf.withName("pool" + n).nn.maxPool(x, window, window, "VALID"));
                }
            }
            x = layer(graph, "gap", tf.withName("gap").math.mean(x, tf.withName("gap_axes").constant(new int[] {1, 2})));
            Operand<TFloat32> fcWeight = tf.withName("fc_weight").variable(tf.constant(
                    Shape.of(weights.fcWeight().shape()[1], weights.fcWeight().shape()[0]),
                    DataBuffers.of(transpose(weights.fcWeight()))));
            Operand<TFloat32> fcBias = tf.withName("fc_bias").variable(tf.constant(weights.fcBias().values()));
            Operand<TFloat32> logits = layer(graph, "fc", tf.withName("fc").nn.biasAdd(
                    tf.withName("fc_matmul").linalg.matMul(x, fcWeight), fcBias));
            try (Session session = new Session(graph)) {
                session.initialize();
                SavedModelBundle.exporter(dir.toString()).withSession(session)
                        .withSignature(Signature.builder().input("x", input).output("y", logits).build()).export();
            }
        }
    }

    /** Checks that TensorFlow kept a layer's exact operation name (the descriptor's layers name them). */
    private static Operand<TFloat32> layer(Graph graph, String name, Operand<TFloat32> tensor) {
        if (!name.equals(tensor.op().name()) || graph.operation(name) == null) {
            throw new IllegalStateException("the operation of layer " + name + " was named " + tensor.op().name());
        }
        return tensor;
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

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
