package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.backend.djl.internal.DjlBackend;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo model's weights in TensorFlow (this backend) and in PyTorch (the DJL backend) compute the same things. */
class CrossBackendTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrossBackendTest.class);
    private static final double TOLERANCE = 1e-4;
    private static final int N = 3;

    private static LoadedModel tensorflow;
    private static LoadedModel pytorch;
    private static Tensor input;
    private static Tensor seed;

    @BeforeAll
    static void loadBothBackends() {
        tensorflow = new TfBackend().load(Fixtures.demo("tensorflow", Fixtures.demoWeights(), Fixtures.LABELS));
        pytorch = new DjlBackend().load(Fixtures.demo("pytorch", Fixtures.demoWeights(), Fixtures.LABELS));
        input = Fixtures.images(N, Fixtures.SIZE, 42);
        seed = Fixtures.oneHot(N, Fixtures.LABELS.size());
    }

    @AfterAll
    static void close() {
        tensorflow.close();
        pytorch.close();
    }

    @Test
    void layersAreThePyTorchModelsLayers() {
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
    void activationsAndGradientsAgreeAtRelu3AndRelu4() {
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
    void linearHeadIsThePyTorchModelsHead() {
        LinearHead tf = tensorflow.linearHead().orElseThrow();
        LinearHead pt = pytorch.linearHead().orElseThrow();
        assertEquals(pt.layer(), tf.layer());
        assertEquals(pt.weights(), tf.weights());
        assertArrayEquals(pt.bias(), tf.bias());
    }

    @Test
    void guidedBackpropagationIsAbsentAndSaysWhy() {
        assertFalse(Capability.of(tensorflow).contains(Capability.GUIDED_BACKPROP));
        assertTrue(Capability.of(tensorflow).containsAll(List.of(Capability.ACTIVATIONS, Capability.GRADIENTS,
                Capability.FORWARD_FROM_LAYER, Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS,
                Capability.LINEAR_HEAD)));
        assertTrue(tensorflow.guidedBackward().isEmpty());
        String hint = tensorflow.capabilityHint();
        assertTrue(hint.contains("GUIDED_BACKPROP") && hint.contains("PyTorch"), hint);
    }

    private static void assertAgree(String what, Tensor pytorchValue, Tensor tensorflowValue) {
        double relative = Fixtures.relative(pytorchValue, tensorflowValue);
        LOG.info("{}: max |tf - pt| / max |pt| = {}", what, String.format("%.2e", relative));
        assertTrue(relative <= TOLERANCE, what + ": relative difference " + relative + " > " + TOLERANCE);
    }
}
