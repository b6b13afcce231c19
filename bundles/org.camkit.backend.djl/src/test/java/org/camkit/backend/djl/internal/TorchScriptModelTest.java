package org.camkit.backend.djl.internal;

import static org.camkit.backend.djl.internal.TorchScriptFixtures.assertClose;
import static org.camkit.backend.djl.internal.TorchScriptFixtures.descriptor;
import static org.camkit.backend.djl.internal.TorchScriptFixtures.reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.Cams;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.TokenGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pytorch backend on the TorchScript fixtures, against the tensors PyTorch computed for them. */
class TorchScriptModelTest {

    /** Java vs PyTorch: relative to the reference's largest magnitude. */
    private static final double TOLERANCE = 1e-4;
    private static final Map<String, LoadedModel> MODELS = new ConcurrentHashMap<>();

    static LoadedModel model(String name) {
        return MODELS.computeIfAbsent(name, n -> new DjlBackend().load(descriptor(n)));
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(LoadedModel::close);
    }

    /** The stored activations or gradients as camkit shows them: token layouts folded into the grid. */
    private static Tensor shown(String name, Tensor raw) {
        TokenGrid tokens = descriptor(name).tokens();
        return raw.rank() == 3 ? tokens.toGrid(raw) : raw;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn", "vit"})
    void outputActivationsAndGradientsMatchPyTorchAtEveryLayer(String name) {
        LoadedModel model = model(name);
        Tensor input = reference(name, "input.npy");
        Tensor seed = reference(name, "seed.npy");
        assertEquals(TorchScriptFixtures.layers(name), model.layers());
        for (String layer : model.layers()) {
            try (ForwardPass pass = model.forward(input, List.of(layer))) {
                assertClose(reference(name, "output.npy"), pass.output(), TOLERANCE, name + " output");
                assertClose(shown(name, reference(name, "activations-" + layer + ".npy")), pass.activations(layer),
                        TOLERANCE, name + " activations at " + layer);
                assertClose(shown(name, reference(name, "gradients-" + layer + ".npy")),
                        pass.gradients(seed).get(layer), TOLERANCE, name + " gradients at " + layer);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn", "vit"})
    void capturingEveryLayerInOnePassGivesEachLayersOwnGradients(String name) {
        LoadedModel model = model(name);
        Tensor seed = reference(name, "seed.npy");
        try (ForwardPass pass = model.forward(reference(name, "input.npy"), model.layers())) {
            assertClose(reference(name, "output.npy"), pass.output(), TOLERANCE, name + " output");
            Map<String, Tensor> gradients = pass.gradients(seed);
            assertEquals(model.layers(), List.copyOf(gradients.keySet()));
            for (String layer : model.layers()) {
                assertClose(shown(name, reference(name, "gradients-" + layer + ".npy")), gradients.get(layer),
                        TOLERANCE, name + " gradients at " + layer + " captured with " + model.layers());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn", "vit"})
    void gradCamMapFromJavaTensorsEqualsTheOneFromPyTorchTensors(String name) {
        LoadedModel model = model(name);
        String layer = descriptor(name).defaultLayer();
        Tensor activations;
        Tensor gradients;
        try (ForwardPass pass = model.forward(reference(name, "input.npy"), List.of(layer))) {
            activations = pass.activations(layer);
            gradients = pass.gradients(reference(name, "seed.npy")).get(layer);
        }
        Tensor javaMap = Cams.weightedSum(activations, Cams.channelMeans(gradients));
        Tensor storedA = shown(name, reference(name, "activations-" + layer + ".npy"));
        Tensor storedG = shown(name, reference(name, "gradients-" + layer + ".npy"));
        Tensor pytorchMap = Cams.weightedSum(storedA, Cams.channelMeans(storedG));
        assertClose(pytorchMap, javaMap, TOLERANCE, name + " Grad-CAM raw map at " + layer);
    }

    @Test
    void batchNormStaysInEvalModeAcrossCallsAndBatchSizes() {
        LoadedModel model = model("resnet");
        Tensor batch = reference("resnet", "input.npy");
        float[] first;
        float[] second;
        try (ForwardPass pass = model.forward(batch, List.of())) {
            first = pass.output().toArray();
        }
        try (ForwardPass pass = model.forward(batch, List.of("layer3"))) {
            second = pass.output().toArray();
        }
        assertArrayEquals(first, second, 1e-5f, "two calls on the same batch");
        int per = first.length / 2;
        float[] image0 = Arrays.copyOf(batch.toArray(), batch.toArray().length / 2);
        int[] shape = batch.shape();
        shape[0] = 1;
        try (ForwardPass alone = model.forward(Tensor.copyOf(image0, shape), List.of())) {
            assertArrayEquals(Arrays.copyOf(first, per), alone.output().toArray(), 1e-5f,
                    "image 0 alone vs in a batch");
        }
    }

    @Test
    void vitTokenActivationsComeOutAsTheTokenGrid() {
        LoadedModel model = model("vit");
        try (ForwardPass pass = model.forward(reference("vit", "input.npy"), List.of("blocks_0"))) {
            assertArrayEquals(new int[] {2, 32, 4, 4}, pass.activations("blocks_0").shape());
            assertArrayEquals(new int[] {2, 32, 4, 4}, pass.gradients(reference("vit", "seed.npy")).get("blocks_0")
                    .shape());
        }
    }

    @Test
    void vitWithAClassTokenHasNoForwardFromLayer() {
        LoadedModel model = model("vit");
        assertEquals(EnumSet.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.INPUT_GRADIENTS),
                EnumSet.copyOf(Capability.of(model)));
        assertTrue(model.layerForward().isEmpty() && model.layerBackward().isEmpty());
        assertTrue(model.capabilityHint().contains("forward from a layer")
                && model.capabilityHint().contains("class token"), model.capabilityHint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn"})
    void convolutionalModelsDeclareWhatTheyProvide(String name) {
        assertEquals(EnumSet.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.FORWARD_FROM_LAYER,
                Capability.BACKWARD_FROM_LAYER, Capability.INPUT_GRADIENTS),
                EnumSet.copyOf(Capability.of(model(name))));
        assertTrue(model(name).linearHead().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn"})
    void forwardFromEveryLayerReproducesTheOutput(String name) {
        LoadedModel model = model(name);
        for (String layer : model.layers()) {
            Tensor fromLayer = model.layerForward().orElseThrow().outputFrom(layer, shown(name, reference(name,
                    "activations-" + layer + ".npy")));
            assertClose(reference(name, "output.npy"), fromLayer, TOLERANCE, name + " output from " + layer);
        }
    }

    @Test
    void forwardFromALayerRefusesActivationsOfAnotherShape() {
        CamException e = assertThrows(CamException.class,
                () -> model("resnet").layerForward().orElseThrow().outputFrom("layer3", Tensor.copyOf(new float[12],
                        new int[] {1, 3, 2, 2})));
        assertTrue(e.getMessage().contains("layer3"), e.getMessage());
    }

    /**
     * The input gradient's directional derivative against central finite differences of sum(seed * output), on the
     * transformer, whose output is smooth in its input (the ReLU networks' kinks make finite differences unreliable).
     */
    @Test
    void inputGradientsAreTheDerivativeOfTheSeededOutput() {
        LoadedModel model = model("vit");
        Tensor input = reference("vit", "input.npy");
        Tensor seed = reference("vit", "seed.npy");
        InputGradients gradients = model.inputBackward().orElseThrow().backward(input, seed);
        assertClose(reference("vit", "output.npy"), gradients.output(), TOLERANCE, "vit output");
        assertTrue(gradients.biasTerms().isEmpty());
        float[] g = gradients.input().toArray();
        float[] direction = new float[g.length];
        Random random = new Random(7);
        double analytic = 0;
        for (int i = 0; i < g.length; i++) {
            direction[i] = (float) random.nextGaussian();
            analytic += direction[i] * g[i];
        }
        double step = 1e-2;
        double numeric = (seeded(model, input, direction, step, seed) - seeded(model, input, direction, -step, seed))
                / (2 * step);
        assertEquals(analytic, numeric, 2e-2 * Math.abs(analytic), "d/dt sum(seed * f(x + t v)) at t = 0");
    }

    /** In eval mode nothing couples the images of a batch: a seed on image 0 leaves image 1's gradient zero. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn", "vit"})
    void inputGradientOfAnImageComesFromItsOwnSeedOnly(String name) {
        LoadedModel model = model(name);
        Tensor input = reference(name, "input.npy");
        Tensor seed = reference(name, "seed.npy");
        float[] firstOnly = seed.toArray();
        Arrays.fill(firstOnly, firstOnly.length / 2, firstOnly.length, 0f);
        InputGradients both = model.inputBackward().orElseThrow().backward(input, seed);
        InputGradients first = model.inputBackward().orElseThrow().backward(input, Tensor.copyOf(firstOnly,
                seed.shape()));
        assertClose(reference(name, "output.npy"), both.output(), TOLERANCE, name + " output");
        float[] g = first.input().toArray();
        float[] gBoth = both.input().toArray();
        int half = g.length / 2;
        assertArrayEquals(Arrays.copyOf(gBoth, half), Arrays.copyOf(g, half), 1e-6f, "image 0's gradient");
        assertArrayEquals(new float[half], Arrays.copyOfRange(g, half, g.length), "image 1 without a seed");
        assertTrue(IntStream.range(half, g.length).anyMatch(i -> gBoth[i] != 0), "image 1 with its seed");
    }

    private static double seeded(LoadedModel model, Tensor input, float[] direction, double t, Tensor seed) {
        float[] x = input.toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (t * direction[i]);
        }
        float[] s = seed.toArray();
        try (ForwardPass pass = model.forward(Tensor.copyOf(x, input.shape()), List.of())) {
            float[] out = pass.output().toArray();
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += (double) s[i] * out[i];
            }
            return sum;
        }
    }

    @Test
    void guidedBackpropagationIsNotProvided() {
        assertTrue(model("resnet").guidedBackward().isEmpty());
        assertTrue(model("resnet").biasBackward().isEmpty());
    }

    @Test
    void parametersAreFrozenSoIdenticalPassesGiveIdenticalGradients() {
        LoadedModel model = model("resnet");
        assertTrue(((TorchScriptModel) model).frozen(), "every parameter must be frozen");
        Tensor input = reference("resnet", "input.npy");
        Tensor seed = reference("resnet", "seed.npy");
        float[] first;
        try (ForwardPass pass = model.forward(input, List.of("layer2"))) {
            first = pass.gradients(seed).get("layer2").toArray();
        }
        try (ForwardPass pass = model.forward(input, List.of("layer2"))) {
            assertArrayEquals(first, pass.gradients(seed).get("layer2").toArray());
        }
    }

    @Test
    void concurrentPassesGiveTheSameGradientsAsOne() throws Exception {
        LoadedModel model = model("resnet");
        Tensor input = reference("resnet", "input.npy");
        Tensor seed = reference("resnet", "seed.npy");
        float[] expected;
        try (ForwardPass pass = model.forward(input, List.of("layer3"))) {
            expected = pass.gradients(seed).get("layer3").toArray();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> {
                    try (ForwardPass pass = model.forward(input, List.of("layer3"))) {
                        return pass.gradients(seed).get("layer3").toArray();
                    }
                }));
            }
            for (Future<float[]> result : results) {
                assertArrayEquals(expected, result.get(), 1e-6f);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void inputOfAnotherSizeThanTheDescriptorsIsRefused() {
        CamException e = assertThrows(CamException.class,
                () -> model("resnet").forward(Tensor.copyOf(new float[3 * 32 * 32], new int[] {1, 3, 32, 32}),
                        List.of()));
        assertTrue(e.getMessage().contains("[N, 3, 64, 64]"), e.getMessage());
    }

    @Test
    void unknownLayerIsRefusedWithTheExportedLayers() {
        CamException e = assertThrows(CamException.class,
                () -> model("resnet").forward(reference("resnet", "input.npy"), List.of("layer9")));
        assertTrue(e.getMessage().contains("layer9") && e.getMessage().contains("layer3"), e.getMessage());
    }

    @Test
    void closedModelRefusesPasses() {
        ModelDescriptor d = descriptor("resnet");
        LoadedModel loaded = new DjlBackend().load(d);
        loaded.close();
        CamException e = assertThrows(CamException.class,
                () -> loaded.forward(reference("resnet", "input.npy"), List.of()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(loaded.layers().isEmpty());
    }
}
