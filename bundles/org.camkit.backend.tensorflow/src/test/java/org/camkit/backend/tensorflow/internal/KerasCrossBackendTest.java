package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.backend.djl.internal.DjlBackend;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One residual network, two engines: the Keras fixture fixtures/tensorflow/resnet (this backend, signatures of
 * tools/camkit-export-tf) and the TorchScript fixture fixtures/torchscript/resnet.pt (the PyTorch backend) hold the
 * same weights and compute the same things on the same input.
 */
class KerasCrossBackendTest {

    private static final Logger LOG = LoggerFactory.getLogger(KerasCrossBackendTest.class);
    private static final double TOLERANCE = 1e-4;

    private static LoadedModel keras;
    private static LoadedModel torchScript;
    private static Tensor input;
    private static Tensor seed;

    @BeforeAll
    static void loadBothBackends() {
        keras = new TfBackend().load(KerasFixtures.descriptor("tensorflow", "resnet"));
        torchScript = new DjlBackend().load(KerasFixtures.descriptor("torchscript", "resnet"));
        input = KerasFixtures.reference("torchscript", "resnet", "input.npy");
        seed = KerasFixtures.reference("torchscript", "resnet", "seed.npy");
    }

    @AfterAll
    static void close() {
        keras.close();
        torchScript.close();
    }

    @Test
    void bothFixturesHoldTheSameImage() {
        Tensor nhwc = KerasFixtures.reference("tensorflow", "resnet", "input.npy");
        assertEquals(0.0, KerasFixtures.relativeNhwc(nhwc, input), "the TF fixture's input is the NCHW one in NHWC");
    }

    @Test
    void layersAreTheSame() {
        assertEquals(torchScript.layers(), keras.layers());
    }

    @Test
    void logitsActivationsAndGradientsAgreeAtEveryLayer() {
        List<String> layers = keras.layers();
        try (ForwardPass tf = keras.forward(input, layers); ForwardPass pt = torchScript.forward(input, layers)) {
            assertAgree("logits", pt.output(), tf.output());
            for (String layer : layers) {
                assertAgree("activations " + layer, pt.activations(layer), tf.activations(layer));
            }
            Map<String, Tensor> tfGradients = tf.gradients(seed);
            Map<String, Tensor> ptGradients = pt.gradients(seed);
            for (String layer : layers) {
                assertAgree("gradients " + layer, ptGradients.get(layer), tfGradients.get(layer));
            }
        }
    }

    @Test
    void outputFromLayer3AgreesOnChangedActivations() {
        Tensor activations;
        try (ForwardPass pt = torchScript.forward(input, List.of("layer3"))) {
            activations = pt.activations("layer3");
        }
        float[] data = activations.toArray();
        for (int i = 0; i < data.length; i += 3) {
            data[i] = 0; // an ablation-like change, so that the result differs from the plain forward pass
        }
        Tensor changed = Tensor.copyOf(data, activations.shape());
        assertAgree("output from layer3", torchScript.layerForward().orElseThrow().outputFrom("layer3", changed),
                keras.layerForward().orElseThrow().outputFrom("layer3",
                changed));
    }

    @Test
    void backwardFromLayer3AgreesOnScaledActivations() {
        Tensor activations;
        try (ForwardPass pt = torchScript.forward(input, List.of("layer3"))) {
            activations = pt.activations("layer3");
        }
        float[] data = activations.toArray();
        for (int i = 0; i < data.length; i++) {
            data[i] *= 1.5f; // ShapleyCAM's shifted activations
        }
        Tensor scaled = Tensor.copyOf(data, activations.shape());
        try (ForwardPass pt = torchScript.layerBackward().orElseThrow().from("layer3", scaled);
                ForwardPass tf = keras.layerBackward().orElseThrow().from("layer3", scaled)) {
            assertAgree("output from layer3", pt.output(), tf.output());
            assertAgree("gradient at scaled layer3", pt.gradients(seed).get("layer3"),
                    tf.gradients(seed).get("layer3"));
        }
    }

    @Test
    void inputGradientsAgree() {
        InputGradients tf = keras.inputBackward().orElseThrow().backward(input, seed);
        InputGradients pt = torchScript.inputBackward().orElseThrow().backward(input, seed);
        assertAgree("backward output", pt.output(), tf.output());
        assertAgree("input gradient", pt.input(), tf.input());
    }

    private static void assertAgree(String what, Tensor pytorch, Tensor tensorflow) {
        double relative = Fixtures.relative(pytorch, tensorflow);
        LOG.info("resnet {}: max |keras - torchscript| / max |torchscript| = {}", what,
                String.format("%.2e", relative));
        assertTrue(relative <= TOLERANCE, what + ": relative difference " + relative + " > " + TOLERANCE);
    }
}
