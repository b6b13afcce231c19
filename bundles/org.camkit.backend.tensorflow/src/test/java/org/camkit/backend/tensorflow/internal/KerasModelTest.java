package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.SignatureDef;

/**
 * Keras SavedModels written by tools/camkit-export-tf (fixtures/tensorflow/cnn and resnet) reproduce the references
 * TensorFlow Python computed on the eager Keras models, in camkit's NCHW order.
 */
class KerasModelTest {

    private static final Logger LOG = LoggerFactory.getLogger(KerasModelTest.class);
    /** Relative to each array's largest magnitude; the tool's author measured up to 3.8e-6 absolute. */
    private static final double TOLERANCE = 1e-5;
    private static final String ENGINE = "tensorflow";

    private static final Map<String, LoadedModel> MODELS = new HashMap<>();

    @BeforeAll
    static void load() {
        for (String name : List.of("cnn", "resnet")) {
            MODELS.put(name, new TfBackend().load(KerasFixtures.descriptor(ENGINE, name)));
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(LoadedModel::close);
    }

    private static Tensor input(String name) {
        return KerasFixtures.toNchw(KerasFixtures.reference(ENGINE, name, "input.npy"));
    }

    private static Tensor seed(String name) {
        return KerasFixtures.reference(ENGINE, name, "seed.npy");
    }

    private static void assertWithin(double relative, double tolerance, String what) {
        LOG.info("{}: max |java - python| / max |python| = {}", what, String.format("%.2e", relative));
        assertTrue(relative <= tolerance, what + ": relative difference " + relative + " > " + tolerance);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "resnet"})
    void layersAreTheDescriptorsExportedLayersInNetworkOrder(String name) {
        List<String> expected = SavedModels.list(KerasFixtures.descriptor(ENGINE, name).properties().get("layers"));
        assertEquals(expected, MODELS.get(name).layers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "resnet"})
    void outputActivationsAndGradientsAreThePythonReferencesTransposedToNchw(String name) {
        LoadedModel model = MODELS.get(name);
        try (ForwardPass pass = model.forward(input(name), model.layers())) {
            assertWithin(KerasFixtures.relative(KerasFixtures.reference(ENGINE, name, "output.npy"), pass.output()),
                    TOLERANCE, name + " output");
            for (String layer : model.layers()) {
                assertWithin(KerasFixtures.relativeNhwc(
                        KerasFixtures.reference(ENGINE, name, "activations-" + layer + ".npy"),
                        pass.activations(layer)), TOLERANCE, name + " activations " + layer);
            }
            Map<String, Tensor> gradients = pass.gradients(seed(name));
            assertEquals(model.layers(), List.copyOf(gradients.keySet()));
            for (String layer : model.layers()) {
                assertWithin(KerasFixtures.relativeNhwc(
                        KerasFixtures.reference(ENGINE, name, "gradients-" + layer + ".npy"), gradients.get(layer)),
                        TOLERANCE, name + " gradients " + layer);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"layer1", "layer2", "layer3"})
    void aPassCapturingOneLayerGivesTheModelsOutputAndTheGradientAtThatLayer(String layer) {
        // the output comes from head_<layer> on the captured activations, the gradient from head_gradients_<layer>
        LoadedModel model = MODELS.get("resnet");
        try (ForwardPass pass = model.forward(input("resnet"), List.of(layer))) {
            assertWithin(KerasFixtures.relative(KerasFixtures.reference(ENGINE, "resnet", "output.npy"),
                    pass.output()), TOLERANCE, "resnet output of a pass capturing " + layer);
            Map<String, Tensor> gradients = pass.gradients(seed("resnet"));
            assertEquals(Set.of(layer), gradients.keySet());
            assertWithin(KerasFixtures.relativeNhwc(
                    KerasFixtures.reference(ENGINE, "resnet", "gradients-" + layer + ".npy"), gradients.get(layer)),
                    TOLERANCE, "resnet gradients " + layer + " captured alone");
        }
    }

    @Test
    void aModelExportedWithoutHeadGradientsBackPropagatesFromTheInputToTheSameGradients(@TempDir Path dir) {
        ModelDescriptor resnet = KerasFixtures.descriptor(ENGINE, "resnet");
        ModelDescriptor older = KerasFixtures.withSignaturesEdited(resnet, dir.resolve("resnet"), meta -> {
            List.copyOf(meta.getSignatureDefMap().keySet()).stream()
                    .filter(key -> key.startsWith(KerasSignatures.HEAD_GRADIENTS)).forEach(meta::removeSignatureDef);
            return meta;
        });
        try (var bundle = SavedModels.open(older)) {
            KerasSignatures signatures = KerasSignatures.of(older, bundle.signatures(), List.of("layer1", "layer3"));
            assertTrue(signatures.headGradients("layer1") == null && signatures.headGradients("layer3") == null,
                    "the copy stands for an older export: no head_gradients_<layer>");
        }
        try (LoadedModel model = new TfBackend().load(older);
                ForwardPass pass = model.forward(input("resnet"), model.layers())) {
            assertWithin(KerasFixtures.relative(KerasFixtures.reference(ENGINE, "resnet", "output.npy"),
                    pass.output()), TOLERANCE, "older resnet output");
            Map<String, Tensor> gradients = pass.gradients(seed("resnet"));
            for (String layer : model.layers()) {
                assertWithin(KerasFixtures.relativeNhwc(
                        KerasFixtures.reference(ENGINE, "resnet", "gradients-" + layer + ".npy"),
                        gradients.get(layer)), TOLERANCE, "older resnet gradients " + layer);
            }
        }
    }

    @Test
    void aHeadGradientsSignatureWithoutItsActivationsInputIsNamedWithTheFix(@TempDir Path dir) {
        ModelDescriptor cnn = KerasFixtures.descriptor(ENGINE, "cnn");
        String key = KerasSignatures.HEAD_GRADIENTS + "relu1";
        ModelDescriptor broken = KerasFixtures.withSignaturesEdited(cnn, dir.resolve("cnn"), meta -> {
            SignatureDef signature = meta.getSignatureDefOrThrow(key);
            return meta.putSignatureDef(key, signature.toBuilder().removeInputs("a")
                    .putInputs("activations", signature.getInputsOrThrow("a")).build());
        });
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(broken));
        String message = e.getMessage();
        assertTrue(message.contains("signature 'head_gradients_relu1' has no input 'a' (its inputs: [activations, "
                + "seed])") && message.contains("camkit-export-tf"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "resnet"})
    void outputFromEachLayerReproducesTheOutputAndFollowsChangedActivations(String name) {
        LoadedModel model = MODELS.get(name);
        Tensor output = KerasFixtures.reference(ENGINE, name, "output.npy");
        try (ForwardPass pass = model.forward(input(name), model.layers())) {
            for (String layer : model.layers()) {
                Tensor activations = pass.activations(layer);
                assertWithin(KerasFixtures.relative(output, model.layerForward().orElseThrow().outputFrom(layer,
                        activations)), TOLERANCE,
                        name + " output from " + layer);
                float[] data = activations.toArray();
                for (int i = 0; i < data.length; i += 2) {
                    data[i] = 0;
                }
                Tensor changed = model.layerForward().orElseThrow().outputFrom(layer, Tensor.copyOf(data,
                        activations.shape()));
                assertTrue(KerasFixtures.relative(output, changed) > 1e-3,
                        name + ": zeroing half of " + layer + " did not change the output from it");
            }
        }
    }

    /**
     * input_gradients is d sum(seed * output) / d input, in NCHW: against central differences of that sum at the
     * input elements with the largest gradients, on a noise image (the fixture's flat squares tie max-pool windows,
     * where the score has kinks).
     */
    @Test
    void labelsThatDoNotMatchTheOutputAreRefusedAtLoad() {
        ModelDescriptor resnet = KerasFixtures.descriptor(ENGINE, "resnet");
        ModelDescriptor two = new ModelDescriptor(resnet.name(), resnet.backend(), resnet.file(),
                resnet.architecture(), resnet.inputWidth(), resnet.inputHeight(), resnet.mean(), resnet.std(),
                List.of("cat", "dog"), resnet.defaultLayer(), resnet.properties(), resnet.channelOrder(),
                resnet.tokens());
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(two));
        assertTrue(e.getMessage().contains("lists 2 labels [cat, dog] but the model outputs 10 classes"),
                e.getMessage());
    }

    @Test
    void inputGradientIsTheCentralDifferenceOfTheSeededScore() {
        LoadedModel model = MODELS.get("cnn");
        Tensor seed = seed("cnn");
        InputGradients reference = model.inputBackward().orElseThrow().backward(input("cnn"), seed);
        assertTrue(reference.biasTerms().isEmpty(), "a Keras model gives no bias terms");
        assertWithin(KerasFixtures.relative(KerasFixtures.reference(ENGINE, "cnn", "output.npy"),
                reference.output()), TOLERANCE, "backward output");

        Tensor x = Fixtures.images(2, 32, 17);
        Tensor gradient = model.inputBackward().orElseThrow().backward(x, seed).input();
        assertArrayEquals(x.shape(), gradient.shape());
        float[] g = gradient.toArray();
        List<Integer> largest = IntStream.range(0, g.length).boxed()
                .sorted((a, b) -> Float.compare(Math.abs(g[b]), Math.abs(g[a]))).limit(6).toList();
        double h = 1e-3;
        for (int i : largest) {
            float[] step = new float[g.length];
            step[i] = 1;
            double numeric = (score(model, shifted(x, step, h), seed) - score(model, shifted(x, step, -h), seed))
                    / (2 * h);
            LOG.info("cnn input element {}: gradient {}, central difference {}", i, g[i], numeric);
            assertEquals(numeric, g[i], 0.02 * Math.abs(numeric) + 2e-5, "input element " + i);
        }
    }

    private static Tensor shifted(Tensor x, float[] direction, double h) {
        float[] data = x.toArray();
        for (int i = 0; i < data.length; i++) {
            data[i] += (float) (h * direction[i]);
        }
        return Tensor.copyOf(data, x.shape());
    }

    private static double score(LoadedModel model, Tensor input, Tensor seed) {
        try (ForwardPass pass = model.forward(input, List.of())) {
            float[] output = pass.output().toArray();
            float[] s = seed.toArray();
            double sum = 0;
            for (int i = 0; i < output.length; i++) {
                sum += (double) output[i] * s[i];
            }
            return sum;
        }
    }

    @Test
    void capabilitiesAreActivationsGradientsForwardAndBackwardFromLayerAndInputGradientsOnly() {
        LoadedModel model = MODELS.get("resnet");
        assertEquals(Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.FORWARD_FROM_LAYER,
                Capability.BACKWARD_FROM_LAYER, Capability.INPUT_GRADIENTS), Capability.of(model));
        Tensor x = input("resnet");
        assertTrue(model.guidedBackward().isEmpty() && model.biasBackward().isEmpty() && model.linearHead().isEmpty());
        String hint = model.capabilityHint();
        assertTrue(hint.contains("GUIDED_BACKPROP") && hint.contains("PyTorch") && hint.contains("Keras"), hint);
    }

    @Test
    void threadsSharingTheModelGetTheResultsOfOne() throws Exception {
        LoadedModel model = MODELS.get("cnn");
        Tensor x = input("cnn");
        Tensor seed = seed("cnn");
        Map<String, Tensor> expected;
        try (ForwardPass pass = model.forward(x, List.of("relu2"))) {
            expected = pass.gradients(seed);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<String, Tensor>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    try (ForwardPass pass = model.forward(x, List.of("relu2"))) {
                        return new LinkedHashMap<>(pass.gradients(seed));
                    }
                }));
            }
            for (Future<Map<String, Tensor>> future : futures) {
                assertEquals(expected, future.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aListedLayerWithoutItsSignaturesIsNamedWithTheFix() {
        ModelDescriptor cnn = KerasFixtures.descriptor(ENGINE, "cnn");
        Map<String, String> properties = new HashMap<>(cnn.properties());
        properties.put("layers", "relu1,relu2,conv.9");
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(KerasFixtures.withProperties(cnn, properties)));
        String message = e.getMessage();
        assertTrue(message.contains("'features_conv_9'") && message.contains("'head_conv_9'")
                && message.contains("'gradients_conv_9'") && message.contains("features_relu1")
                && message.contains("camkit-export-tf"), message);
    }

    @Test
    void aSavedModelWithoutTheExportSignaturesIsRefused(@TempDir Path dir) throws Exception {
        TensorFlowRuntime.load();
        Path tf1 = dir.resolve("tf1");
        new TinySavedModel(3).export(tf1);
        ModelDescriptor cnn = KerasFixtures.descriptor(ENGINE, "cnn");
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(KerasFixtures.withFile(cnn, tf1)));
        assertTrue(e.getMessage().contains("no signature 'forward'") && e.getMessage().contains("camkit-export-tf"),
                e.getMessage());
    }

    @Test
    void aDirectoryThatIsNoSavedModelIsNamed(@TempDir Path dir) {
        ModelDescriptor cnn = KerasFixtures.descriptor(ENGINE, "cnn");
        CamException empty = assertThrows(CamException.class,
                () -> new TfBackend().load(KerasFixtures.withFile(cnn, dir)));
        assertTrue(empty.getMessage().contains(dir.toString()) && empty.getMessage().contains("saved_model.pb"),
                empty.getMessage());
        Path missing = dir.resolve("nowhere");
        CamException absent = assertThrows(CamException.class,
                () -> new TfBackend().load(KerasFixtures.withFile(cnn, missing)));
        assertTrue(absent.getMessage().contains(missing.toString())
                && absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    void aDefaultLayerOutsideTheListedLayersIsRefused() {
        ModelDescriptor cnn = KerasFixtures.descriptor(ENGINE, "cnn");
        Map<String, String> properties = new HashMap<>(cnn.properties());
        properties.put("layers", "relu1");
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(KerasFixtures.withProperties(cnn, properties)));
        assertTrue(e.getMessage().contains("relu2") && e.getMessage().contains("\"layers\""), e.getMessage());
    }

    @Test
    void inputOfAnotherSizeIsRefusedWithTheExpectedShape() {
        CamException e = assertThrows(CamException.class,
                () -> MODELS.get("cnn").forward(Fixtures.images(1, 16, 1), List.of()));
        assertTrue(e.getMessage().contains("[?, 3, 32, 32]"), e.getMessage());
    }
}
