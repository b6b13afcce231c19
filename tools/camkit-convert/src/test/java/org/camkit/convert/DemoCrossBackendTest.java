package org.camkit.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camkit.backend.djl.internal.DjlBackend;
import org.camkit.backend.tensorflow.internal.TfBackend;
import org.camkit.core.internal.Descriptors;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo models' TensorFlow twins as the build converted them (tools/camkit-convert writes models/tensorflow/, the
 * committed models/demo-*-tensorflow.json describe them) compute what the PyTorch backend computes from the weights
 * files: outputs, activations, gradients, input gradients and bias terms, layer by layer. The inputs are noise: a
 * picture's flat regions make ties in max-pooling, where the engines route the gradient to different positions.
 * The converter's own check that its output is the PyTorch network (this module builds after the launcher, whose
 * home holds libtorch and TensorFlow, and writes the twins while compiling).
 */
class DemoCrossBackendTest {

    private static final double TOLERANCE = 1e-4;
    private static final int N = 3;
    /** The demo CNN's input size. */
    private static final int DEMO_SIZE = 112;

    private static ModelDescriptor descriptor;
    private static LoadedModel tensorflow;
    private static LoadedModel pytorch;
    private static Tensor input;
    private static Tensor seed;

    @BeforeAll
    static void loadBothBackends() {
        descriptor = descriptor("demo-biased-tensorflow");
        tensorflow = new TfBackend().load(descriptor);
        pytorch = new DjlBackend().load(descriptor("demo-biased"));
        input = noise(N, DEMO_SIZE, 42);
        float[] oneHot = new float[N * 2];
        for (int i = 0; i < N; i++) {
            oneHot[i * 2 + i % 2] = 1;
        }
        seed = Tensor.copyOf(oneHot, N, 2);
    }

    @AfterAll
    static void close() {
        tensorflow.close();
        pytorch.close();
    }

    @Test
    void theCommittedDescriptorNamesTheConvertedSavedModelAndThePyTorchLayers() {
        assertEquals("savedmodel", descriptor.architecture());
        assertEquals(models().resolve(ConvertDemo.OUTPUT_DIR).resolve("demo-biased").toAbsolutePath()
                .normalize(), descriptor.file());
        assertEquals(String.join(",", DemoSavedModel.LAYERS), descriptor.properties().get("layers"));
        assertEquals(DemoSavedModel.LAYERS, tensorflow.layers());
        assertEquals(pytorch.layers(), tensorflow.layers());
    }

    @Test
    void logitsAgree() {
        try (ForwardPass tf = tensorflow.forward(input, List.of()); ForwardPass pt = pytorch.forward(input,
                List.of())) {
            assertAgree("logits", pt.output(), tf.output());
        }
    }

    @Test
    void activationsAndGradientsAgreeAtEachKindOfLayer() {
        List<String> layers = List.of("relu3", "relu4", "conv1", "gap");
        try (ForwardPass tf = tensorflow.forward(input, layers); ForwardPass pt = pytorch.forward(input, layers)) {
            for (String layer : layers) {
                assertAgree("activations " + layer, pt.activations(layer), tf.activations(layer));
            }
            Map<String, Tensor> tfGradients = tf.gradients(seed);
            Map<String, Tensor> ptGradients = pt.gradients(seed);
            assertEquals(ptGradients.keySet(), tfGradients.keySet());
            for (String layer : layers) {
                assertAgree("gradients " + layer, ptGradients.get(layer), tfGradients.get(layer));
            }
        }
    }

    @Test
    void inputGradientsAndBiasTermsAgree() {
        InputGradients tf = tensorflow.biasBackward().orElseThrow().backward(input, seed);
        InputGradients pt = pytorch.biasBackward().orElseThrow().backward(input, seed);
        assertAgree("backward output", pt.output(), tf.output());
        assertAgree("input gradient", pt.input(), tf.input());
        assertEquals(List.of("conv1", "conv2", "conv3", "conv4", "fc"), List.copyOf(tf.biasTerms().keySet()));
        assertEquals(List.copyOf(pt.biasTerms().keySet()), List.copyOf(tf.biasTerms().keySet()));
        for (String layer : tf.biasTerms().keySet()) {
            assertAgree("bias terms " + layer, pt.biasTerms().get(layer), tf.biasTerms().get(layer));
        }
    }

    @Test
    void outputFromALayerAgreesOnChangedActivations() {
        for (String layer : List.of("relu3", "pool2")) {
            Tensor activations;
            try (ForwardPass pt = pytorch.forward(input, List.of(layer))) {
                activations = pt.activations(layer);
            }
            float[] data = activations.toArray();
            for (int i = 0; i < data.length; i += 3) {
                data[i] = 0; // an ablation-like change, so that the result differs from the plain forward pass
            }
            Tensor changed = Tensor.copyOf(data, activations.shape());
            assertAgree("output from " + layer, pytorch.layerForward().orElseThrow().outputFrom(layer, changed),
                    tensorflow.layerForward().orElseThrow().outputFrom(layer, changed));
        }
    }

    @Test
    void theGradientAtRelu4IsThePyTorchHeadsClassWeightOverTheMapArea() {
        LinearHead head = pytorch.linearHead().orElseThrow();
        try (ForwardPass pass = tensorflow.forward(input, List.of("relu4"))) {
            Tensor gradient = pass.gradients(seed).get("relu4");
            int area = gradient.dim(2) * gradient.dim(3);
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < 256; c++) {
                    assertEquals(head.weights().at(n % 2, c) / area, gradient.at(n, c, 1, 2), 1e-7f,
                            "channel " + c + " of image " + n);
                }
            }
        }
    }

    @Test
    void capabilitiesAreASavedModelsWithBiasGradientsButNoLinearHeadOrGuidedBackprop() {
        assertTrue(Capability.of(tensorflow).containsAll(List.of(Capability.ACTIVATIONS, Capability.GRADIENTS,
                Capability.FORWARD_FROM_LAYER, Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS)));
        assertFalse(Capability.of(tensorflow).contains(Capability.LINEAR_HEAD));
        assertTrue(tensorflow.guidedBackward().isEmpty());
        String hint = tensorflow.capabilityHint();
        assertTrue(hint.contains("GUIDED_BACKPROP") && hint.contains("PyTorch"), hint);
    }

    @Test
    void theGraphTakesOtherInputSizesAsThePyTorchNetworkDoes() {
        Tensor small = noise(1, 48, 7);
        try (LoadedModel tf = new TfBackend().load(descriptor.withInputSize(48, 48));
                ForwardPass tfPass = tf.forward(small, List.of()); ForwardPass ptPass = pytorch.forward(small, List.of())) {
            assertAgree("logits at 48x48", ptPass.output(), tfPass.output());
        }
    }

    @Test
    void theCleanModelIsConvertedFromItsOwnWeights() {
        ModelDescriptor clean = descriptor("demo-clean-tensorflow");
        try (LoadedModel tf = new TfBackend().load(clean);
                LoadedModel pt = new DjlBackend().load(descriptor("demo-clean"));
                ForwardPass tfPass = tf.forward(input, List.of()); ForwardPass ptPass = pt.forward(input, List.of());
                ForwardPass biased = pytorch.forward(input, List.of())) {
            assertAgree("clean logits", ptPass.output(), tfPass.output());
            assertFalse(Arrays.equals(biased.output().toArray(), tfPass.output().toArray()), "another model's logits");
        }
    }

    private static void assertAgree(String what, Tensor pytorchValue, Tensor tensorflowValue) {
        assertArrayEquals(pytorchValue.shape(), tensorflowValue.shape(), what + ": shape");
        assertTrue(maxAbs(pytorchValue) > 0, what + ": the PyTorch values are all zeros, the comparison would "
                + "prove nothing");
        assertClose(new float[][] {pytorchValue.toArray()}, new float[][] {tensorflowValue.toArray()}, TOLERANCE,
                what);
    }

    /** @return models/ of the repository (surefire sets camkit.models) */
    private static Path models() {
        return Path.of(System.getProperty("camkit.models", "../../models"));
    }

    /** @return the descriptor models/&lt;name&gt;.json, read by core */
    private static ModelDescriptor descriptor(String name) {
        return Descriptors.read(models().resolve(name + ".json"));
    }

    /**
     * Standard normal noise as a model input {@code [n, 3, size, size]}: no flat regions, so no ties in max-pooling,
     * where engines may route gradients differently.
     */
    private static Tensor noise(int n, int size, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] data = new float[n * 3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.of(data, n, 3, size, size);
    }

    /** @return the largest magnitude of a tensor's values */
    private static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Asserts equality up to {@code relative} times the largest magnitude of the expected values per image. */
    private static void assertClose(float[][] expected, float[][] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": images");
        for (int i = 0; i < expected.length; i++) {
            double scale = 0;
            for (float v : expected[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            double tolerance = relative * Math.max(scale, 1e-12);
            for (int p = 0; p < expected[i].length; p++) {
                assertEquals(expected[i][p], actual[i][p], tolerance, what + ": image " + i + " position " + p);
            }
        }
    }
}
