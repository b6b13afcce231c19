package org.camkit.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.backend.djl.internal.DjlBackend;
import org.camkit.backend.tensorflow.internal.TfBackend;
import org.camkit.core.internal.Descriptors;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo models as the build converted them (models/tensorflow/, loaded through the committed
 * models/demo-*-tensorflow.json by the TensorFlow backend) compute what the PyTorch backend computes from their
 * weights files.
 */
class ConvertedDemoModelTest {

    private static final Logger LOG = LoggerFactory.getLogger(ConvertedDemoModelTest.class);
    private static final double TOLERANCE = 1e-4;
    private static final int N = 3;
    private static final int SIZE = 112;

    private static ModelDescriptor descriptor;
    private static LoadedModel tensorflow;
    private static LoadedModel pytorch;
    private static Tensor input;
    private static Tensor seed;

    @BeforeAll
    static void loadBothBackends() {
        descriptor = Descriptors.read(models().resolve("demo-biased-tensorflow.json"));
        tensorflow = new TfBackend().load(descriptor);
        pytorch = new DjlBackend().load(Descriptors.read(models().resolve("demo-biased.json")));
        input = images(N, SIZE, 42);
        seed = oneHot(N, 2);
    }

    @AfterAll
    static void close() {
        tensorflow.close();
        pytorch.close();
    }

    static Path models() {
        return Path.of(System.getProperty("camkit.models", "../../models")).toAbsolutePath().normalize();
    }

    @Test
    void theCommittedDescriptorNamesTheConvertedSavedModelAndThePyTorchLayers() {
        assertEquals("savedmodel", descriptor.architecture());
        assertEquals(models().resolve(ConvertDemo.OUTPUT_DIR).resolve("demo-biased"), descriptor.file());
        assertEquals(String.join(",", DemoSavedModel.LAYERS), descriptor.properties().get("layers"));
        assertEquals(DemoSavedModel.LAYERS, tensorflow.layers());
        assertEquals(pytorch.layers(), tensorflow.layers());
    }

    @Test
    void logitsAgree() {
        try (ForwardPass tf = tensorflow.forward(input, List.of()); ForwardPass pt = pytorch.forward(input, List.of())) {
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
        InputGradients tf = tensorflow.backward(input, seed, false);
        InputGradients pt = pytorch.backward(input, seed, false);
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
            float[] data = activations.data();
            for (int i = 0; i < data.length; i += 3) {
                data[i] = 0; // an ablation-like change, so that the result differs from the plain forward pass
            }
            Tensor changed = new Tensor(activations.shape(), data);
            assertAgree("output from " + layer, pytorch.outputFrom(layer, changed),
                    tensorflow.outputFrom(layer, changed));
        }
    }

    @Test
    void gradientAtRelu4IsTheClassWeightOverTheMapArea() throws Exception {
        DjlParameters.Parameter fc = DemoSavedModel.read(models().resolve("demo-biased.params")).fcWeight();
        try (ForwardPass pass = tensorflow.forward(input, List.of("relu4"))) {
            Tensor gradient = pass.gradients(seed).get("relu4");
            int area = gradient.dim(2) * gradient.dim(3);
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < 256; c++) {
                    float expected = fc.values()[(n % 2) * 256 + c] / area;
                    assertEquals(expected, gradient.get(n, c, 1, 2), 1e-7f, "channel " + c + " of image " + n);
                }
            }
        }
    }

    @Test
    void capabilitiesAreASavedModelsWithBiasGradientsButNoLinearHeadOrGuidedBackprop() {
        assertTrue(tensorflow.capabilities().containsAll(List.of(Capability.ACTIVATIONS, Capability.GRADIENTS,
                Capability.FORWARD_FROM_LAYER, Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS)));
        assertFalse(tensorflow.capabilities().contains(Capability.LINEAR_HEAD));
        CamException e = assertThrows(CamException.class, () -> tensorflow.backward(input, seed, true));
        assertTrue(e.getMessage().contains("GUIDED_BACKPROP") && e.getMessage().contains("PyTorch"),
                e.getMessage());
    }

    @Test
    void theGraphTakesOtherInputSizesAsThePyTorchNetworkDoes() {
        Tensor small = images(1, 48, 7);
        try (LoadedModel tf = new TfBackend().load(descriptor.withInputSize(48, 48));
                ForwardPass tfPass = tf.forward(small, List.of()); ForwardPass ptPass = pytorch.forward(small, List.of())) {
            assertAgree("logits at 48x48", ptPass.output(), tfPass.output());
        }
    }

    @Test
    void theCleanModelIsConvertedFromItsOwnWeights() {
        try (LoadedModel tf = new TfBackend().load(Descriptors.read(models().resolve("demo-clean-tensorflow.json")));
                LoadedModel pt = new DjlBackend().load(Descriptors.read(models().resolve("demo-clean.json")));
                ForwardPass tfPass = tf.forward(input, List.of()); ForwardPass ptPass = pt.forward(input, List.of());
                ForwardPass biased = pytorch.forward(input, List.of())) {
            assertAgree("clean logits", ptPass.output(), tfPass.output());
            assertFalse(Arrays.equals(biased.output().data(), tfPass.output().data()), "another model's logits");
        }
    }

    private static void assertAgree(String what, Tensor pytorchValue, Tensor tensorflowValue) {
        assertEquals(Arrays.toString(pytorchValue.shape()), Arrays.toString(tensorflowValue.shape()), what);
        float[] e = pytorchValue.data();
        float[] a = tensorflowValue.data();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < e.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        assertTrue(scale > 0, what + ": the PyTorch values are all zeros, the comparison would prove nothing");
        LOG.info("{}: max |tf - pt| / max |pt| = {}", what, String.format("%.2e", diff / scale));
        assertTrue(diff / scale <= TOLERANCE, what + ": relative difference " + diff / scale + " > " + TOLERANCE);
    }

    /** @return {@code n} random images of {@code size x size}, preprocessed: (pixel - 0.5) / 0.25 */
    static Tensor images(int n, int size, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * 3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (random.nextFloat() - 0.5f) / 0.25f;
        }
        return new Tensor(new int[] {n, 3, size, size}, data);
    }

    /** @return a seed {@code [n, classes]} with 1 at class {@code i % classes} of image {@code i} */
    static Tensor oneHot(int n, int classes) {
        float[] data = new float[n * classes];
        for (int i = 0; i < n; i++) {
            data[i * classes + i % classes] = 1;
        }
        return new Tensor(new int[] {n, classes}, data);
    }
}
