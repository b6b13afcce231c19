package org.camkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.Cams;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputBackward;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerBackward;
import org.camkit.spi.LayerForward;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite of a model backend: extend it with one class whose {@link #load} builds a
 * {@link ReferenceNet} in your engine, and JUnit runs every case on every net of {@link ReferenceNet#standard()}.
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends BackendConformance {
 *     @Override
 *     protected LoadedModel load(ReferenceNet net) {
 *         return MyEngine.build(net);   // the net's layers with its weights, each under its name
 *     }
 * }
 * }</pre>
 *
 * <p>The cases hold the model to the net's plain-Java reference: the output; the activations and gradients (for a
 * random seed) at every layer the model lists, which must include every layer whose output is an image; the
 * global-average-pool + linear identities ({@code dy_c/dA_k = W[c, k] / (h w)}, so Grad-CAM's weights are the head's
 * row over the area and CAM is Grad-CAM times the area); and each role the model returns: output from a layer,
 * input gradients, bias terms, guided gradients, the linear head. A batch of two must give what each image gives
 * alone, and an unknown layer must be refused naming the known ones. Tolerance: {@code 1e-4} of the largest
 * reference value.
 *
 * <p>A role the model does not return is absent, never a stub: its case is reported as skipped (aborted) with the
 * reason, so the count shows it. Declare the capabilities your models must have with
 * {@link #expectedCapabilities}, and the case {@code providesTheDeclaredCapabilities} fails when one is missing or
 * one appears undeclared.
 *
 * <p>Each net is loaded once, on first use, and closed after the last case.
 *
 * @since 1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformance {

    private static final double TOLERANCE = 1e-4;
    private static final int IMAGES = 2;
    private static final long INPUT_SEED = 7;
    private static final long SEED_SEED = 8;

    private final Map<String, LoadedModel> models = new LinkedHashMap<>();

    /**
     * Builds a reference net as a model of the backend under test: the net's layers in order, with its weights,
     * each layer's output capturable under the layer's name (at least {@link ReferenceNet#spatialLayers()}), taking
     * inputs {@code [N, 3, H, W]} as given (no preprocessing of its own). The suite closes the model.
     *
     * @param net a reference net
     * @return the loaded model, never null
     */
    protected abstract LoadedModel load(ReferenceNet net);

    /**
     * @param net a reference net
     * @return the capabilities a model of {@code net} must have, exactly; or empty (the default) to check only the
     *         roles it returns
     */
    protected Optional<Set<Capability>> expectedCapabilities(ReferenceNet net) {
        return Optional.empty();
    }

    static Stream<ReferenceNet> nets() {
        return ReferenceNet.standard().stream();
    }

    static Stream<ReferenceNet> headNets() {
        return nets().filter(net -> net.linearHead().isPresent());
    }

    private LoadedModel model(ReferenceNet net) {
        return models.computeIfAbsent(net.name(), name -> {
            LoadedModel model = load(net);
            assertNotNull(model, "load(" + name + ") gave null");
            return model;
        });
    }

    @AfterAll
    void closeModels() {
        models.values().forEach(LoadedModel::close);
        models.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void theOutputIsTheReferenceOutput(ReferenceNet net) {
        Tensor input = net.input(IMAGES, INPUT_SEED);
        try (ForwardPass pass = model(net).forward(input, List.of())) {
            Compare.assertClose(net.output(input), pass.output(), TOLERANCE, net + ": output");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void everyImageLayerIsListedUnderItsReferenceName(ReferenceNet net) {
        List<String> listed = model(net).layers();
        assertTrue(listed.containsAll(net.spatialLayers()), () -> net + ": the model lists " + listed
                + "; it must list at least " + net.spatialLayers());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void activationsAtEveryListedLayerAreTheReferenceActivations(ReferenceNet net) {
        Tensor input = net.input(IMAGES, INPUT_SEED);
        List<String> layers = listed(net);
        try (ForwardPass pass = model(net).forward(input, layers)) {
            for (String layer : layers) {
                Compare.assertClose(net.activations(input, layer), pass.activations(layer), TOLERANCE,
                        net + ": activations of '" + layer + "'");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void gradientsAtEveryListedLayerAreTheReferenceGradients(ReferenceNet net) {
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor seed = seed(net);
        List<String> layers = listed(net);
        Map<String, Tensor> gradients;
        try (ForwardPass pass = model(net).forward(input, layers)) {
            gradients = pass.gradients(seed);
        }
        for (String layer : layers) {
            Tensor actual = gradients.get(layer);
            assertNotNull(actual, () -> net + ": no gradient for captured layer '" + layer + "'");
            Compare.assertClose(net.gradients(input, seed, layer), actual, TOLERANCE,
                    net + ": gradient at '" + layer + "'");
        }
    }

    /**
     * With a one-hot seed for class c, {@code dy_c/dA_k = W[c, k] / (h w)} at every position of the layer entering
     * the head: Grad-CAM's weight of channel k (the gradient's spatial mean) is the head's weight over the area.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("headNets")
    void gradientsEnteringTheAveragePoolAreTheHeadsRowOverTheArea(ReferenceNet net) {
        LinearHead head = net.linearHead().orElseThrow();
        Tensor gradient = gradientAtHead(net, net.input(IMAGES, INPUT_SEED), head);
        int channels = gradient.dim(1);
        int area = gradient.dim(2) * gradient.dim(3);
        float[] expected = new float[gradient.size()];
        for (int i = 0; i < expected.length; i++) {
            int n = i / (channels * area);
            expected[i] = head.weights().get(target(n, net) * channels + (i / area) % channels) / area;
        }
        Compare.assertClose(Tensor.of(expected, gradient.shape()), gradient, TOLERANCE,
                net + ": gradient at '" + head.layer() + "' for a class target");
    }

    /** CAM ({@code sum_k W[c, k] A_k}, from the model's head) equals Grad-CAM times the area, for a class target. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("headNets")
    void camIsGradCamTimesTheAreaForAClassTarget(ReferenceNet net) {
        LinearHead head = role(net, Capability.LINEAR_HEAD, model(net).linearHead());
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor activations;
        try (ForwardPass pass = model(net).forward(input, List.of(head.layer()))) {
            activations = pass.activations(head.layer());
        }
        Tensor gradient = gradientAtHead(net, input, head);
        int channels = activations.dim(1);
        int area = activations.dim(2) * activations.dim(3);
        float[][] camWeights = new float[IMAGES][channels];
        float[][] gradCamWeights = Cams.channelMeans(gradient);
        for (int n = 0; n < IMAGES; n++) {
            for (int k = 0; k < channels; k++) {
                camWeights[n][k] = head.weights().get(target(n, net) * channels + k);
                gradCamWeights[n][k] *= area;
            }
        }
        Compare.assertClose(Cams.weightedSum(activations, camWeights), Cams.weightedSum(activations,
                gradCamWeights), TOLERANCE, net + ": CAM vs Grad-CAM times " + area);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void theLinearHeadIsTheReferenceHead(ReferenceNet net) {
        Optional<LinearHead> head = model(net).linearHead();
        if (net.linearHead().isEmpty()) {
            assertTrue(head.isEmpty(), () -> net + " ends without a global average pool and a linear layer, but the "
                    + "model returns a linear head entered by '" + head.get().layer() + "'");
            return;
        }
        LinearHead actual = role(net, Capability.LINEAR_HEAD, head);
        LinearHead expected = net.linearHead().orElseThrow();
        assertEquals(expected.layer(), actual.layer(), net + ": the layer entering the head");
        Compare.assertClose(expected.weights(), actual.weights(), TOLERANCE, net + ": head weights");
        Compare.assertClose(Tensor.of(expected.bias(), expected.bias().length),
                Tensor.of(actual.bias(), actual.bias().length), TOLERANCE, net + ": head bias");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void outputFromAListedLayerIsTheReferenceOutputFromIt(ReferenceNet net) {
        LayerForward forward = role(net, Capability.FORWARD_FROM_LAYER, model(net).layerForward());
        Tensor input = net.input(IMAGES, INPUT_SEED);
        List<String> layers = listed(net);
        try (ForwardPass pass = model(net).forward(input, layers)) {
            for (String layer : layers) {
                Tensor activations = pass.activations(layer);
                Compare.assertClose(pass.output(), forward.outputFrom(layer, activations), TOLERANCE,
                        net + ": output from the captured activations of '" + layer + "'");
                Tensor changed = changed(activations);
                Compare.assertClose(net.outputFrom(layer, changed), forward.outputFrom(layer, changed), TOLERANCE,
                        net + ": output from changed activations of '" + layer + "'");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void backwardFromALayerGivesTheReferenceGradientsAtGivenActivations(ReferenceNet net) {
        LayerBackward backward = role(net, Capability.BACKWARD_FROM_LAYER, model(net).layerBackward());
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor seed = seed(net);
        for (String layer : listed(net)) {
            Tensor changed = changed(net.activations(input, layer));
            try (ForwardPass pass = backward.from(layer, changed)) {
                Compare.assertClose(net.outputFrom(layer, changed), pass.output(), TOLERANCE,
                        net + ": output from changed activations of '" + layer + "'");
                Compare.assertClose(net.gradientsFrom(layer, changed, seed), pass.gradients(seed).get(layer),
                        TOLERANCE, net + ": gradient at changed activations of '" + layer + "'");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void inputGradientsAreTheReferenceInputGradients(ReferenceNet net) {
        backward(net, Capability.INPUT_GRADIENTS, model(net).inputBackward());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void biasTermsAreTheReferenceBiasTerms(ReferenceNet net) {
        InputGradients g = backward(net, Capability.BIAS_GRADIENTS, model(net).biasBackward());
        Map<String, Tensor> expected = net.biasTerms(net.input(IMAGES, INPUT_SEED), seed(net));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(g.biasTerms().keySet()),
                net + ": the layers with bias terms, in network order");
        expected.forEach((layer, terms) -> Compare.assertClose(terms, g.biasTerms().get(layer), TOLERANCE,
                net + ": bias terms of '" + layer + "'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void guidedGradientsAreTheReferenceGuidedGradients(ReferenceNet net) {
        backward(net, Capability.GUIDED_BACKPROP, model(net).guidedBackward());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void aBatchOfTwoGivesWhatEachImageGivesAlone(ReferenceNet net) {
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor seed = seed(net);
        List<String> layers = listed(net);
        Map<String, Tensor> batch = passValues(net, input, seed, layers);
        for (int n = 0; n < IMAGES; n++) {
            Map<String, Tensor> alone = passValues(net, input.rows(n, n + 1), seed.rows(n, n + 1), layers);
            for (Map.Entry<String, Tensor> e : alone.entrySet()) {
                Compare.assertClose(batch.get(e.getKey()).rows(n, n + 1), e.getValue(), TOLERANCE,
                        net + ": image " + n + " alone vs in the batch: " + e.getKey());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void anUnknownLayerIsRefusedNamingTheKnownOnes(ReferenceNet net) {
        LoadedModel model = model(net);
        Tensor input = net.input(1, INPUT_SEED);
        CamException e = assertThrows(CamException.class, () -> model.forward(input, List.of("no-such-layer"))
                .close(), net + ": capturing an unknown layer");
        assertTrue(e.getMessage().contains(model.layers().get(0)), () -> net + ": the message names no known "
                + "layer: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void providesTheDeclaredCapabilities(ReferenceNet net) {
        Set<Capability> provided = Capability.of(model(net));
        Set<Capability> expected = expectedCapabilities(net).orElse(null);
        Assumptions.assumeTrue(expected != null, () -> "not checked: " + getClass().getSimpleName()
                + " declares no expectedCapabilities; the model provides " + provided);
        assertEquals(expected, provided, net + ": capabilities (derived from the roles the model returns)");
    }

    /** @return the net's layers the model lists, in the net's order */
    private List<String> listed(ReferenceNet net) {
        List<String> modelLayers = model(net).layers();
        List<String> out = new ArrayList<>();
        for (ReferenceNet.Layer layer : net.layers()) {
            if (modelLayers.contains(layer.name())) {
                out.add(layer.name());
            }
        }
        assertTrue(out.containsAll(net.spatialLayers()), () -> net + ": the model lists " + modelLayers
                + "; it must list at least " + net.spatialLayers());
        return out;
    }

    private <R> R role(ReferenceNet net, Capability capability, Optional<R> role) {
        Assumptions.assumeTrue(role.isPresent(), () -> "not run: the model of " + net + " does not provide "
                + capability + (expectedCapabilities(net).isPresent() ? "" : " (declare expectedCapabilities to "
                + "require it)"));
        return role.get();
    }

    /** Runs a back-propagation role on the suite's input and seed; checks the output and the input gradient. */
    private InputGradients backward(ReferenceNet net, Capability capability, Optional<InputBackward> role) {
        InputBackward backward = role(net, capability, role);
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor seed = seed(net);
        InputGradients g = backward.backward(input, seed);
        Compare.assertClose(net.output(input), g.output(), TOLERANCE, net + ": output of the " + capability + " role");
        Tensor expected = capability == Capability.GUIDED_BACKPROP ? net.guidedGradients(input, seed)
                : net.inputGradients(input, seed);
        Compare.assertClose(expected, g.input(), TOLERANCE, net + ": input gradient of the " + capability + " role");
        return g;
    }

    private static Tensor seed(ReferenceNet net) {
        return ReferenceNet.gaussian(SEED_SEED, IMAGES, net.classes());
    }

    private static int target(int image, ReferenceNet net) {
        return (image + 1) % net.classes();
    }

    /** @return the model's gradient at the head's layer for one-hot seeds of {@link #target} */
    private Tensor gradientAtHead(ReferenceNet net, Tensor input, LinearHead head) {
        float[] oneHot = new float[IMAGES * net.classes()];
        for (int n = 0; n < IMAGES; n++) {
            oneHot[n * net.classes() + target(n, net)] = 1;
        }
        try (ForwardPass pass = model(net).forward(input, List.of(head.layer()))) {
            return pass.gradients(Tensor.of(oneHot, IMAGES, net.classes())).get(head.layer());
        }
    }

    /** @return {@code 1.5 a + 0.25} at even positions and {@code -a} at odd ones */
    private static Tensor changed(Tensor activations) {
        float[] data = activations.toArray();
        for (int i = 0; i < data.length; i++) {
            data[i] = i % 2 == 0 ? 1.5f * data[i] + 0.25f : -data[i];
        }
        return Tensor.of(data, activations.shape());
    }

    /** @return the output, and the activations and gradients at {@code layers}, of one pass */
    private Map<String, Tensor> passValues(ReferenceNet net, Tensor input, Tensor seed, List<String> layers) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        try (ForwardPass pass = model(net).forward(input, layers)) {
            values.put("output", pass.output());
            for (String layer : layers) {
                values.put("activations of '" + layer + "'", pass.activations(layer));
            }
            pass.gradients(seed).forEach((layer, g) -> values.put("gradient at '" + layer + "'", g));
        }
        return values;
    }
}
