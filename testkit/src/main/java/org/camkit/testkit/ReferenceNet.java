package org.camkit.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

/**
 * A small network given as a plain-Java spec with its weights, and its passes computed in double precision: the
 * reference {@link BackendConformance} holds a backend's models to, and the model behind the probe of
 * {@link MethodConformance}.
 *
 * <p>A net is a chain of {@link Layer}s on an input {@code [N, 3, H, W]}. Five kinds of layer exist, and a backend
 * author translates each into their engine once: {@link Conv2d} (weights {@code [out, in, k, k]}, as PyTorch),
 * {@link Relu}, {@link GlobalAvgPool}, {@link Flatten} (channel-major, as PyTorch flattens {@code [C, h, w]}) and
 * {@link Linear} (weights {@code [out, in]}). Every layer's output is captured under the layer's name, in camkit's
 * layout: {@code [N, C, h, w]} for images, {@code [N, F]} after pooling or flattening; the last layer's output is the
 * model output.
 *
 * <p>Values are computed per image in double and returned as float tensors. Instances are immutable.
 *
 * <pre>{@code
 * for (ReferenceNet net : ReferenceNet.standard()) {
 *     LoadedModel model = myEngine.build(net);          // one factory: the layers, their weights, their names
 *     Tensor input = net.input(2, 7);
 *     Tensor expected = net.output(input);              // what the model must compute
 * }
 * }</pre>
 *
 * @since 1.0
 */
public final class ReferenceNet {

    /** One layer of a reference net; its output is captured under {@link #name()}. */
    public sealed interface Layer permits Conv2d, Relu, GlobalAvgPool, Flatten, Linear {
        /** @return the layer's name, unique in its net */
        String name();
    }

    /**
     * A 2-d convolution with stride 1, {@code padding} zeros on every side and a bias: {@code [in, h, w]} to
     * {@code [out, h + 2 padding - kernel + 1, w + 2 padding - kernel + 1]}.
     *
     * @param name    the layer's name
     * @param in      input channels
     * @param out     output channels
     * @param kernel  the side of the square kernel
     * @param padding zeros added on each side
     * @param weight  {@code [out, in, kernel, kernel]}
     * @param bias    {@code [out]}
     */
    public record Conv2d(String name, int in, int out, int kernel, int padding, Tensor weight, Tensor bias)
            implements Layer {

        /** Validates the shapes. */
        public Conv2d {
            checkShape(name, "weight", weight, out, in, kernel, kernel);
            checkShape(name, "bias", bias, out);
        }
    }

    /**
     * {@code max(x, 0)} element by element; any shape.
     *
     * @param name the layer's name
     */
    public record Relu(String name) implements Layer {
    }

    /**
     * The mean over height and width: {@code [C, h, w]} to {@code [C]}.
     *
     * @param name the layer's name
     */
    public record GlobalAvgPool(String name) implements Layer {
    }

    /**
     * {@code [C, h, w]} to {@code [C * h * w]}, channel-major (PyTorch's {@code flatten} of NCHW).
     *
     * @param name the layer's name
     */
    public record Flatten(String name) implements Layer {
    }

    /**
     * {@code y = W x + b}: {@code [in]} to {@code [out]}.
     *
     * @param name   the layer's name
     * @param in     inputs
     * @param out    outputs
     * @param weight {@code [out, in]}
     * @param bias   {@code [out]}
     */
    public record Linear(String name, int in, int out, Tensor weight, Tensor bias) implements Layer {

        /** Validates the shapes. */
        public Linear {
            checkShape(name, "weight", weight, out, in);
            checkShape(name, "bias", bias, out);
        }
    }

    private static final int CHANNELS = 3;

    private final String name;
    private final int height;
    private final int width;
    private final List<Layer> layers;
    /** Per image: the input's shape, then each layer's output shape. */
    private final List<int[]> shapes;
    private final BiFunction<Integer, Long, Tensor> sampler;

    /**
     * A net on inputs {@code [N, 3, height, width]}, whose {@link #input} draws Gaussian values.
     *
     * @param name   the net's name, for messages and descriptors
     * @param height the input height
     * @param width  the input width
     * @param layers the layers in order, with unique names
     * @throws IllegalArgumentException if a layer does not fit the shape it receives, or names repeat
     */
    public ReferenceNet(String name, int height, int width, List<Layer> layers) {
        this(name, height, width, layers, null);
    }

    private ReferenceNet(String name, int height, int width, List<Layer> layers,
            BiFunction<Integer, Long, Tensor> sampler) {
        this.name = name;
        this.height = height;
        this.width = width;
        this.layers = List.copyOf(layers);
        this.shapes = shapes(name, height, width, this.layers);
        this.sampler = sampler != null ? sampler : (images, seed) -> gaussian(seed, images, CHANNELS, height, width);
    }

    private static void checkShape(String layer, String what, Tensor values, int... shape) {
        if (!Arrays.equals(values.shape(), shape)) {
            throw new IllegalArgumentException("layer '" + layer + "': " + what + " must be " + Arrays.toString(shape)
                    + ", got " + values);
        }
    }

    private static List<int[]> shapes(String name, int height, int width, List<Layer> layers) {
        List<int[]> shapes = new ArrayList<>();
        int[] shape = {CHANNELS, height, width};
        shapes.add(shape);
        Set<String> names = new HashSet<>();
        for (Layer layer : layers) {
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("net '" + name + "' has two layers named '" + layer.name() + "'");
            }
            if (layer instanceof Conv2d c) {
                require(shape.length == 3 && shape[0] == c.in, name, layer, shape);
                shape = new int[] {c.out, shape[1] + 2 * c.padding - c.kernel + 1,
                    shape[2] + 2 * c.padding - c.kernel + 1};
            } else if (layer instanceof GlobalAvgPool || layer instanceof Flatten) {
                require(shape.length == 3, name, layer, shape);
                shape = new int[] {layer instanceof Flatten ? shape[0] * shape[1] * shape[2] : shape[0]};
            } else if (layer instanceof Linear l) {
                require(shape.length == 1 && shape[0] == l.in, name, layer, shape);
                shape = new int[] {l.out};
            }
            if (Arrays.stream(shape).anyMatch(d -> d <= 0)) {
                throw new IllegalArgumentException("net '" + name + "': layer '" + layer.name() + "' leaves nothing: "
                        + Arrays.toString(shape));
            }
            shapes.add(shape);
        }
        return shapes;
    }

    private static void require(boolean fits, String net, Layer layer, int[] shape) {
        if (!fits) {
            throw new IllegalArgumentException("net '" + net + "': layer " + layer.name() + " does not take input "
                    + Arrays.toString(shape));
        }
    }

    /**
     * The nets {@link BackendConformance} runs, between them every layer kind: {@link #gapLinear()},
     * {@link #convFc()} and {@link #captumOneConv()}.
     *
     * @return the standard nets
     */
    public static List<ReferenceNet> standard() {
        return List.of(gapLinear(), convFc(), captumOneConv());
    }

    /**
     * conv1 (3 to 6 channels, 3x3, padding 1), relu1, gap (global average pool), fc (6 to 4): a CAM network, whose
     * global-average-pool + linear head is entered by relu1. Input {@code [N, 3, 8, 8]}, Gaussian weights.
     *
     * @return the net
     */
    public static ReferenceNet gapLinear() {
        Random random = new Random(101);
        return new ReferenceNet("gap-linear", 8, 8, List.of(conv("conv1", 3, 6, 3, 1, random), new Relu("relu1"),
                new GlobalAvgPool("gap"), linear("fc", 6, 4, random)));
    }

    /**
     * conv1 (3 to 3 channels, 3x3, no padding), relu1, flatten, fc1 (12 to 4), relu2, fc2 (4 to 3): a network
     * without a head to read, with ReLUs on both sides of a linear layer (guided backpropagation differs from plain
     * gradients). Input {@code [N, 3, 4, 4]}, Gaussian weights.
     *
     * @return the net
     */
    public static ReferenceNet convFc() {
        Random random = new Random(13);
        return new ReferenceNet("conv-fc", 4, 4, List.of(conv("conv1", 3, 3, 3, 0, random), new Relu("relu1"),
                new Flatten("flatten"), linear("fc1", 12, 4, random), new Relu("relu2"), linear("fc2", 4, 3,
                        random)));
    }

    /**
     * Captum's {@code BasicModel_ConvNet_One_Conv} (its tests' model for {@code LayerGradCam}) on three input
     * channels of which only the first is read: conv1 (2 channels, 3x3, weights 1 on input channel 0 and 0 on the
     * others, biases -50 and -75), relu1, flatten, fc1 (8 to 4, every row {@code [1, 1, 1, 1, 1, -1, -1, -1]}, bias
     * 0), relu2. Input {@code [N, 3, 4, 4]}; {@link #input} puts {@code 0, 1, ..., 15} (plus 4 per image index) in
     * channel 0, as Captum's test does for image 0.
     *
     * @return the net
     */
    public static ReferenceNet captumOneConv() {
        float[] convWeight = new float[2 * CHANNELS * 9];
        for (int o = 0; o < 2; o++) {
            Arrays.fill(convWeight, o * CHANNELS * 9, o * CHANNELS * 9 + 9, 1f);
        }
        float[] fcWeight = new float[4 * 8];
        for (int i = 0; i < fcWeight.length; i++) {
            fcWeight[i] = i % 8 < 5 ? 1f : -1f;
        }
        BiFunction<Integer, Long, Tensor> arange = (images, seed) -> {
            float[] data = gaussian(seed, images, CHANNELS, 4, 4).toArray();
            for (int n = 0; n < images; n++) {
                for (int p = 0; p < 16; p++) {
                    data[n * CHANNELS * 16 + p] = p + 4 * n;
                }
            }
            return Tensor.of(data, images, CHANNELS, 4, 4);
        };
        return new ReferenceNet("captum-one-conv", 4, 4, List.of(
                new Conv2d("conv1", CHANNELS, 2, 3, 0, Tensor.of(convWeight, 2, CHANNELS, 3, 3),
                        Tensor.of(new float[] {-50, -75}, 2)), new Relu("relu1"), new Flatten("flatten"),
                new Linear("fc1", 8, 4, Tensor.of(fcWeight, 4, 8), Tensor.of(new float[4], 4)), new Relu("relu2")),
                arange);
    }

    private static Conv2d conv(String name, int in, int out, int kernel, int padding, Random random) {
        return new Conv2d(name, in, out, kernel, padding, Tensor.of(gaussian(random, out * in * kernel * kernel), out,
                in, kernel, kernel), Tensor.of(gaussian(random, out), out));
    }

    private static Linear linear(String name, int in, int out, Random random) {
        return new Linear(name, in, out, Tensor.of(gaussian(random, out * in), out, in),
                Tensor.of(gaussian(random, out), out));
    }

    private static float[] gaussian(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian() * 0.5f;
        }
        return values;
    }

    /**
     * @param seed  the random seed
     * @param shape the dimensions
     * @return standard Gaussian values
     */
    static Tensor gaussian(long seed, int... shape) {
        Random random = new Random(seed);
        float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.of(data, shape);
    }

    /** @return the net's name */
    public String name() {
        return name;
    }

    /** @return the input height */
    public int height() {
        return height;
    }

    /** @return the input width */
    public int width() {
        return width;
    }

    /** @return the layers, in order */
    public List<Layer> layers() {
        return layers;
    }

    /** @return the number of outputs per image */
    public int classes() {
        return shapes.get(shapes.size() - 1)[0];
    }

    /**
     * @param layer a layer's name
     * @return the shape of that layer's output for one image, e.g. {@code [C, h, w]} or {@code [F]}
     * @throws IllegalArgumentException if the net has no such layer (the message lists its layers)
     */
    public int[] shape(String layer) {
        return shapes.get(index(layer) + 1).clone();
    }

    /** @return the layers whose output is an image {@code [C, h, w]}: the ones a CAM method can target */
    public List<String> spatialLayers() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (shapes.get(i + 1).length == 3) {
                out.add(layers.get(i).name());
            }
        }
        return out;
    }

    /** @return the layer a CAM method targets: the one entering the linear head, else the last spatial layer */
    public String camLayer() {
        return linearHead().map(LinearHead::layer).orElseGet(() -> {
            List<String> spatial = spatialLayers();
            return spatial.get(spatial.size() - 1);
        });
    }

    /**
     * @return the global-average-pool + linear head when the net ends with {@link GlobalAvgPool} and
     *         {@link Linear} after another layer, else empty
     */
    public Optional<LinearHead> linearHead() {
        int n = layers.size();
        if (n >= 3 && layers.get(n - 2) instanceof GlobalAvgPool && layers.get(n - 1) instanceof Linear fc) {
            return Optional.of(new LinearHead(layers.get(n - 3).name(), fc.weight, fc.bias.toArray()));
        }
        return Optional.empty();
    }

    /**
     * A descriptor for a model of this net: its name and input size, mean 0 and standard deviation 1 (the input is
     * given preprocessed), no labels, {@link #classes()} in the property {@code classes}, {@link #camLayer()} as
     * default layer.
     *
     * @param backend      the backend's name
     * @param file         the model's file, if the backend needs one (made absolute)
     * @param architecture the backend's architecture id, or empty
     * @param properties   further backend properties
     * @return the descriptor
     */
    public ModelDescriptor descriptor(String backend, Path file, String architecture, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("classes", String.valueOf(classes()));
        return new ModelDescriptor(name, backend, file.toAbsolutePath(), architecture, width, height, new float[3],
                new float[] {1, 1, 1}, List.of(), camLayer(), all);
    }

    /**
     * @param images the batch size
     * @param seed   the random seed
     * @return a preprocessed input {@code [images, 3, H, W]} that exercises the net (not all ReLUs off)
     */
    public Tensor input(int images, long seed) {
        return sampler.apply(images, seed);
    }

    /**
     * @param input {@code [N, 3, H, W]}
     * @return the output {@code [N, K]}
     */
    public Tensor output(Tensor input) {
        return activations(input, layers.get(layers.size() - 1).name());
    }

    /**
     * @param input {@code [N, 3, H, W]}
     * @param layer a layer's name
     * @return the layer's output {@code [N, ...]}
     */
    public Tensor activations(Tensor input, String layer) {
        int at = index(layer);
        double[][][] trace = forward(input);
        return batch(shapes.get(at + 1), trace.length, n -> trace[n][at + 1]);
    }

    /**
     * @param input {@code [N, 3, H, W]}
     * @param seed  d(score)/d(output) {@code [N, K]}
     * @param layer a layer's name
     * @return d(score)/d(the layer's output), shaped like {@link #activations}
     */
    public Tensor gradients(Tensor input, Tensor seed, String layer) {
        int at = index(layer);
        double[][][] grads = backward(input, seed, false);
        return batch(shapes.get(at + 1), grads.length, n -> grads[n][at + 1]);
    }

    /**
     * @param input {@code [N, 3, H, W]}
     * @param seed  d(score)/d(output) {@code [N, K]}
     * @return d(score)/d(input) {@code [N, 3, H, W]}
     */
    public Tensor inputGradients(Tensor input, Tensor seed) {
        double[][][] grads = backward(input, seed, false);
        return batch(shapes.get(0), grads.length, n -> grads[n][0]);
    }

    /**
     * @param input {@code [N, 3, H, W]}
     * @param seed  d(score)/d(output) {@code [N, K]}
     * @return the input gradient with every ReLU passing back {@code g * [x > 0] * [g > 0]} (guided
     *         backpropagation)
     */
    public Tensor guidedGradients(Tensor input, Tensor seed) {
        double[][][] grads = backward(input, seed, true);
        return batch(shapes.get(0), grads.length, n -> grads[n][0]);
    }

    /**
     * FullGrad's bias terms, as {@link org.camkit.spi.InputGradients#biasTerms()} gives them.
     *
     * @param input {@code [N, 3, H, W]}
     * @param seed  d(score)/d(output) {@code [N, K]}
     * @return per layer with a bias, in order: {@code bias[c] * d(score)/d(output of the layer)[n, c, ...]} shaped
     *         {@code [N, C, h, w]}, or {@code [N, K, 1, 1]} for a linear layer
     */
    public Map<String, Tensor> biasTerms(Tensor input, Tensor seed) {
        double[][][] grads = backward(input, seed, false);
        Map<String, Tensor> terms = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Tensor bias = layer instanceof Conv2d c ? c.bias : layer instanceof Linear l ? l.bias : null;
            if (bias == null) {
                continue;
            }
            int[] shape = shapes.get(i + 1);
            int[] four = shape.length == 3 ? shape : new int[] {shape[0], 1, 1};
            int at = i + 1;
            int area = four[1] * four[2];
            terms.put(layers.get(i).name(), batch(four, grads.length, n -> {
                double[] t = grads[n][at].clone();
                for (int p = 0; p < t.length; p++) {
                    t[p] *= bias.get(p / area);
                }
                return t;
            }));
        }
        return terms;
    }

    /**
     * Runs the layers after {@code layer} on given activations of it.
     *
     * @param layer       a layer's name
     * @param activations {@code [B, ...]} shaped like that layer's output
     * @return the output {@code [B, K]}
     */
    public Tensor outputFrom(String layer, Tensor activations) {
        int at = index(layer);
        checkShape(activations, shapes.get(at + 1), "activations of '" + layer + "'");
        int rows = activations.dim(0);
        int size = activations.size() / rows;
        double[][] out = new double[rows][];
        for (int n = 0; n < rows; n++) {
            double[] x = row(activations, n, size);
            for (int i = at + 1; i < layers.size(); i++) {
                x = forward(i, x);
            }
            out[n] = x;
        }
        return batch(shapes.get(shapes.size() - 1), rows, n -> out[n]);
    }

    /**
     * Back-propagates a seed through the layers after {@code layer}, run on given activations of it.
     *
     * @param layer       a layer's name
     * @param activations {@code [B, ...]} shaped like that layer's output
     * @param seed        d(score)/d(output) {@code [B, K]}
     * @return d(score)/d(activations), shaped like them
     * @since 1.3
     */
    public Tensor gradientsFrom(String layer, Tensor activations, Tensor seed) {
        int at = index(layer);
        checkShape(activations, shapes.get(at + 1), "activations of '" + layer + "'");
        int rows = activations.dim(0);
        int size = activations.size() / rows;
        double[][] out = new double[rows][];
        for (int n = 0; n < rows; n++) {
            double[][] in = new double[layers.size()][];
            double[] x = row(activations, n, size);
            for (int i = at + 1; i < layers.size(); i++) {
                in[i] = x;
                x = forward(i, x);
            }
            double[] g = row(seed, n, classes());
            for (int i = layers.size() - 1; i > at; i--) {
                g = backward(i, in[i], g, false);
            }
            out[n] = g;
        }
        return batch(shapes.get(at + 1), rows, n -> out[n]);
    }

    @Override
    public String toString() {
        return name;
    }

    private int index(String layer) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layer)) {
                return i;
            }
        }
        throw new IllegalArgumentException("net '" + name + "' has no layer '" + layer + "'; its layers are "
                + layers.stream().map(Layer::name).toList());
    }

    /** @return per image: the input, then every layer's output */
    private double[][][] forward(Tensor input) {
        checkShape(input, shapes.get(0), "input");
        int images = input.dim(0);
        int size = input.size() / images;
        double[][][] trace = new double[images][layers.size() + 1][];
        for (int n = 0; n < images; n++) {
            trace[n][0] = row(input, n, size);
            for (int i = 0; i < layers.size(); i++) {
                trace[n][i + 1] = forward(i, trace[n][i]);
            }
        }
        return trace;
    }

    /** @return per image: d(score)/d(input), then d(score)/d(every layer's output) */
    private double[][][] backward(Tensor input, Tensor seed, boolean guided) {
        double[][][] trace = forward(input);
        checkShape(seed, shapes.get(shapes.size() - 1), "seed");
        if (seed.dim(0) != trace.length) {
            throw new IllegalArgumentException("net '" + name + "': a seed for " + seed.dim(0) + " images, input of "
                    + trace.length);
        }
        int k = classes();
        double[][][] grads = new double[trace.length][layers.size() + 1][];
        for (int n = 0; n < trace.length; n++) {
            double[] g = row(seed, n, k);
            grads[n][layers.size()] = g;
            for (int i = layers.size() - 1; i >= 0; i--) {
                g = backward(i, trace[n][i], g, guided);
                grads[n][i] = g;
            }
        }
        return grads;
    }

    private double[] forward(int i, double[] x) {
        Layer layer = layers.get(i);
        if (layer instanceof Conv2d c) {
            return convolve(c, shapes.get(i), shapes.get(i + 1), x);
        } else if (layer instanceof Relu) {
            return Arrays.stream(x).map(v -> Math.max(v, 0)).toArray();
        } else if (layer instanceof GlobalAvgPool) {
            int[] in = shapes.get(i);
            int area = in[1] * in[2];
            double[] y = new double[in[0]];
            for (int p = 0; p < x.length; p++) {
                y[p / area] += x[p] / area;
            }
            return y;
        } else if (layer instanceof Linear l) {
            double[] y = new double[l.out];
            for (int o = 0; o < l.out; o++) {
                y[o] = l.bias.get(o);
                for (int p = 0; p < l.in; p++) {
                    y[o] += l.weight.get(o * l.in + p) * x[p];
                }
            }
            return y;
        }
        return x.clone(); // Flatten: the same values, channel-major
    }

    private static double[] convolve(Conv2d c, int[] in, int[] out, double[] x) {
        double[] y = new double[c.out * out[1] * out[2]];
        for (int p = 0; p < y.length; p++) {
            y[p] = c.bias.get(p / (out[1] * out[2]));
        }
        taps(c, in, out, (o, i, w) -> y[o] += w * x[i]);
        return y;
    }

    /** Visits one product of a convolution: output index, input index, weight. */
    @FunctionalInterface
    private interface Tap {
        void visit(int output, int input, float weight);
    }

    /** Visits every product {@code weight * input} a convolution sums, skipping the zero padding. */
    private static void taps(Conv2d c, int[] in, int[] out, Tap tap) {
        for (int o = 0; o < c.out; o++) {
            for (int r = 0; r < out[1]; r++) {
                for (int s = 0; s < out[2]; s++) {
                    for (int ci = 0; ci < c.in; ci++) {
                        for (int dy = 0; dy < c.kernel; dy++) {
                            for (int dx = 0; dx < c.kernel; dx++) {
                                int yy = r + dy - c.padding;
                                int xx = s + dx - c.padding;
                                if (yy >= 0 && yy < in[1] && xx >= 0 && xx < in[2]) {
                                    tap.visit((o * out[1] + r) * out[2] + s, (ci * in[1] + yy) * in[2] + xx,
                                            c.weight.get(((o * c.in + ci) * c.kernel + dy) * c.kernel + dx));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** @return d(score)/d(layer i's input), from its input {@code x} and the gradient {@code g} at its output */
    private double[] backward(int i, double[] x, double[] g, boolean guided) {
        Layer layer = layers.get(i);
        int[] in = shapes.get(i);
        double[] gx = new double[x.length];
        if (layer instanceof Conv2d c) {
            taps(c, in, shapes.get(i + 1), (o, q, w) -> gx[q] += g[o] * w);
        } else if (layer instanceof Relu) {
            for (int p = 0; p < x.length; p++) {
                gx[p] = x[p] > 0 && (!guided || g[p] > 0) ? g[p] : 0;
            }
        } else if (layer instanceof GlobalAvgPool) {
            int area = in[1] * in[2];
            for (int q = 0; q < x.length; q++) {
                gx[q] = g[q / area] / area;
            }
        } else if (layer instanceof Linear l) {
            for (int o = 0; o < l.out; o++) {
                for (int p = 0; p < l.in; p++) {
                    gx[p] += l.weight.get(o * l.in + p) * g[o];
                }
            }
        } else {
            System.arraycopy(g, 0, gx, 0, g.length); // Flatten
        }
        return gx;
    }

    private void checkShape(Tensor t, int[] perImage, String what) {
        int[] expected = new int[perImage.length + 1];
        expected[0] = t.rank() > 0 ? t.dim(0) : 0;
        System.arraycopy(perImage, 0, expected, 1, perImage.length);
        if (!Arrays.equals(expected, t.shape())) {
            throw new IllegalArgumentException("net '" + name + "': " + what + " must be " + Arrays.toString(expected)
                    + ", got " + t);
        }
    }

    private static double[] row(Tensor t, int n, int size) {
        double[] out = new double[size];
        for (int p = 0; p < size; p++) {
            out[p] = t.get(n * size + p);
        }
        return out;
    }

    private static Tensor batch(int[] perImage, int images, java.util.function.IntFunction<double[]> rows) {
        int size = Arrays.stream(perImage).reduce(1, (a, b) -> a * b);
        float[] data = new float[images * size];
        for (int n = 0; n < images; n++) {
            double[] values = rows.apply(n);
            for (int p = 0; p < size; p++) {
                data[n * size + p] = (float) values[p];
            }
        }
        int[] shape = new int[perImage.length + 1];
        shape[0] = images;
        System.arraycopy(perImage, 0, shape, 1, perImage.length);
        return Tensor.of(data, shape);
    }
}
