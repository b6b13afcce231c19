package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/** A SavedModel exported by TensorFlow Java, loaded by name, against the same network computed by hand. */
class SavedModelTest {

    private static final int N = 2;
    private static final float EPS = 1e-5f;

    @TempDir
    static Path dir;
    private static TinySavedModel tiny;
    private static Path exported;
    private static LoadedModel model;
    private static Tensor input;
    private static Tensor seed;

    @BeforeAll
    static void exportAndLoad() throws Exception {
        TensorFlowRuntime.load();
        tiny = new TinySavedModel(7);
        exported = dir.resolve("tiny");
        tiny.export(exported);
        model = new TfBackend().load(TinySavedModel.descriptor(exported, TinySavedModel.properties()));
        input = Fixtures.images(N, TinySavedModel.SIZE, 3);
        seed = Tensor.copyOf(new float[] {1, -0.5f, 0.25f, 2}, new int[] {N, 2});
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void layersAreTheDescriptorsOperations() {
        assertEquals(List.of("biased", "act"), model.layers());
    }

    @Test
    void capabilitiesHaveBiasGradientsButNoLinearHeadOrGuidedBackprop() {
        assertTrue(Capability.of(model).containsAll(List.of(Capability.ACTIVATIONS, Capability.GRADIENTS,
                Capability.FORWARD_FROM_LAYER, Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS)));
        assertFalse(Capability.of(model).contains(Capability.LINEAR_HEAD));
        assertFalse(Capability.of(model).contains(Capability.GUIDED_BACKPROP));
        assertTrue(model.linearHead().isEmpty());
    }

    @Test
    void activationsAndOutputAreTheHandComputedOnesInNchw() {
        double[] act = TinySavedModel.relu(tiny.biased(input.toArray(), N));
        try (ForwardPass pass = model.forward(input, List.of("act"))) {
            assertArrayEquals(new int[] {N, TinySavedModel.CHANNELS, TinySavedModel.SIZE, TinySavedModel.SIZE},
                    pass.activations("act").shape());
            assertClose(act, pass.activations("act"));
            assertClose(tiny.logits(act, N), pass.output());
        }
    }

    @Test
    void aModelLoadedWithOneThreadPerSessionGivesTheSameNumbers() {
        withThreads("1", () -> {
            try (LoadedModel single = new TfBackend().load(TinySavedModel.descriptor(exported,
                    TinySavedModel.properties())); ForwardPass pass = single.forward(input, List.of("act"));
                    ForwardPass reference = model.forward(input, List.of("act"))) {
                assertArrayEquals(reference.output().toArray(), pass.output().toArray());
                assertArrayEquals(reference.gradients(seed).get("act").toArray(), pass.gradients(seed).get("act")
                        .toArray());
            }
        });
    }

    @Test
    void aMalformedThreadSettingIsItsOwnErrorNotAnUnreadableModel() {
        withThreads("many", () -> {
            CamException e = assertThrows(CamException.class, () -> new TfBackend().load(
                    TinySavedModel.descriptor(exported, TinySavedModel.properties())));
            assertTrue(e.getMessage().startsWith("system property " + TensorFlowRuntime.THREADS_PROPERTY),
                    e.getMessage());
        });
    }

    // runs the check with the threads property set to the value, then puts the property back as it was
    private static void withThreads(String value, Runnable check) {
        String before = System.getProperty(TensorFlowRuntime.THREADS_PROPERTY);
        System.setProperty(TensorFlowRuntime.THREADS_PROPERTY, value);
        try {
            check.run();
        } finally {
            if (before == null) {
                System.clearProperty(TensorFlowRuntime.THREADS_PROPERTY);
            } else {
                System.setProperty(TensorFlowRuntime.THREADS_PROPERTY, before);
            }
        }
    }

    @Test
    void gradientsAtBothLayersAreTheHandComputedOnes() {
        double[] pre = tiny.biased(input.toArray(), N);
        double[] actGradient = tiny.actGradient(seed.toArray(), N);
        double[] biasedGradient = new double[pre.length];
        for (int i = 0; i < pre.length; i++) {
            biasedGradient[i] = pre[i] > 0 ? actGradient[i] : 0;
        }
        try (ForwardPass pass = model.forward(input, List.of("biased", "act"))) {
            Map<String, Tensor> gradients = pass.gradients(seed);
            assertEquals(List.of("biased", "act"), List.copyOf(gradients.keySet()));
            assertClose(actGradient, gradients.get("act"));
            assertClose(biasedGradient, gradients.get("biased"));
        }
    }

    @Test
    void inputGradientAndBiasTermsAreTheHandComputedOnes() {
        double[] pre = tiny.biased(input.toArray(), N);
        double[] actGradient = tiny.actGradient(seed.toArray(), N);
        double[] biasedGradient = new double[pre.length];
        double[] convTerms = new double[pre.length];
        int area = TinySavedModel.SIZE * TinySavedModel.SIZE;
        for (int i = 0; i < pre.length; i++) {
            biasedGradient[i] = pre[i] > 0 ? actGradient[i] : 0;
            convTerms[i] = tiny.bias[(i / area) % TinySavedModel.CHANNELS] * biasedGradient[i];
        }
        double[] logitTerms = new double[N * 2];
        for (int i = 0; i < logitTerms.length; i++) {
            logitTerms[i] = tiny.classBias[i % 2] * seed.toArray()[i];
        }
        InputGradients gradients = model.biasBackward().orElseThrow().backward(input, seed);
        assertClose(tiny.inputGradient(biasedGradient, N), gradients.input());
        assertTrue(model.inputBackward().orElseThrow().backward(input, seed).biasTerms().isEmpty());
        assertEquals(List.of("biased", "logits"), List.copyOf(gradients.biasTerms().keySet()));
        assertClose(convTerms, gradients.biasTerms().get("biased"));
        assertArrayEquals(new int[] {N, 2, 1, 1}, gradients.biasTerms().get("logits").shape());
        assertClose(logitTerms, gradients.biasTerms().get("logits"));
    }

    @Test
    void outputFromALayerFeedsItsTensor() {
        Tensor activations = Fixtures.images(N, TinySavedModel.SIZE, 11);
        float[] data = new float[N * TinySavedModel.CHANNELS * area()];
        float[] source = activations.toArray();
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.abs(source[i % source.length]);
        }
        Tensor act = Tensor.copyOf(data, new int[] {N, TinySavedModel.CHANNELS, TinySavedModel.SIZE,
                TinySavedModel.SIZE});
        double[] expected = tiny.logits(toDouble(data), N);
        assertClose(expected, model.layerForward().orElseThrow().outputFrom("act", act));
    }

    @Test
    void activationsOfTheWrongShapeAreRefused() {
        Tensor wrong = Tensor.copyOf(new float[5 * area()], new int[] {1, 5, TinySavedModel.SIZE, TinySavedModel.SIZE});
        CamException e = assertThrows(CamException.class, () -> model.layerForward().orElseThrow().outputFrom("act",
                wrong));
        assertTrue(e.getMessage().contains("act") && e.getMessage().contains("[?, 4, 6, 6]"), e.getMessage());
    }

    @Test
    void aLayerNotInTheGraphIsNamed() {
        Map<String, String> properties = new HashMap<>(TinySavedModel.properties());
        properties.put("layers", "act,block9");
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(TinySavedModel.descriptor(exported, properties)));
        assertTrue(e.getMessage().contains("block9") && e.getMessage().contains("layers"), e.getMessage());
    }

    @Test
    void aMissingInputPropertyIsNamed() {
        Map<String, String> properties = new HashMap<>(TinySavedModel.properties());
        properties.remove("input");
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(TinySavedModel.descriptor(exported, properties)));
        assertTrue(e.getMessage().contains("\"input\""), e.getMessage());
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = dir.resolve("nowhere");
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(TinySavedModel.descriptor(missing, TinySavedModel.properties())));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void aDirectoryWithoutSavedModelIsNamed() {
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(TinySavedModel.descriptor(dir, TinySavedModel.properties())));
        assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
    }

    @Test
    void aLayerThatIsTheOutputIsTheOutputAndItsGradientTheSeed() {
        Map<String, String> properties = new HashMap<>(TinySavedModel.properties());
        properties.put("layers", "biased,act,logits");
        try (LoadedModel withOutput = new TfBackend().load(TinySavedModel.descriptor(exported, properties));
                ForwardPass pass = withOutput.forward(input, List.of("act", "logits"))) {
            assertArrayEquals(pass.output().toArray(), pass.activations("logits").toArray());
            assertArrayEquals(seed.toArray(), pass.gradients(seed).get("logits").toArray(), EPS);
        }
    }

    @Test
    void fourThreadsOnOneModelGetTheResultsOfOne() throws Exception {
        Tensor one = Fixtures.images(1, TinySavedModel.SIZE, 5);
        Tensor oneSeed = Fixtures.oneHot(1, 2);
        float[] expectedGradient;
        float[] expectedOutput;
        try (ForwardPass pass = model.forward(one, List.of("biased"))) {
            expectedOutput = pass.output().toArray();
            expectedGradient = pass.gradients(oneSeed).get("biased").toArray();
        }
        float[] expectedInputGradient = model.inputBackward().orElseThrow().backward(one, oneSeed).input().toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> {
                    try (ForwardPass pass = model.forward(one, List.of("biased"))) {
                        return new float[][] {pass.output().toArray(), pass.gradients(oneSeed).get("biased").toArray(),
                            model.inputBackward().orElseThrow().backward(one, oneSeed).input().toArray()};
                    }
                }));
            }
            for (Future<float[][]> result : results) {
                float[][] r = result.get();
                assertArrayEquals(expectedOutput, r[0], 1e-6f);
                assertArrayEquals(expectedGradient, r[1], 1e-6f);
                assertArrayEquals(expectedInputGradient, r[2], 1e-6f);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aClosedModelRefusesEveryCallClearly() {
        LoadedModel closed = new TfBackend().load(TinySavedModel.descriptor(exported, TinySavedModel.properties()));
        Tensor one = Fixtures.images(1, TinySavedModel.SIZE, 6);
        ForwardPass pass = closed.forward(one, List.of("act"));
        closed.close();
        closed.close();
        for (Runnable call : List.<Runnable>of(() -> closed.forward(one, List.of()),
                () -> pass.gradients(Fixtures.oneHot(1, 2)), () -> closed.inputBackward().orElseThrow().backward(one, Fixtures.oneHot(1, 2)),
                () -> closed.layerForward().orElseThrow().outputFrom("act", pass.activations("act")))) {
            CamException e = assertThrows(CamException.class, call::run);
            assertTrue(e.getMessage().contains("tiny") && e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void anUnknownLayerIsRefusedWithTheKnownLayers() {
        Tensor one = Fixtures.images(1, TinySavedModel.SIZE, 7);
        CamException e = assertThrows(CamException.class, () -> model.forward(one, List.of("conv9")));
        assertTrue(e.getMessage().contains("conv9") && e.getMessage().contains("biased"), e.getMessage());
        e = assertThrows(CamException.class, () -> model.layerForward().orElseThrow().outputFrom("conv9", one));
        assertTrue(e.getMessage().contains("conv9"), e.getMessage());
    }

    @Test
    void aSecondBackPropagationOfAPassIsRefused() {
        try (ForwardPass pass = model.forward(Fixtures.images(1, TinySavedModel.SIZE, 8), List.of("act"))) {
            pass.gradients(Fixtures.oneHot(1, 2));
            CamException e = assertThrows(CamException.class, () -> pass.gradients(Fixtures.oneHot(1, 2)));
            assertTrue(e.getMessage().contains("new forward pass"), e.getMessage());
        }
    }

    @Test
    void inputOfAnotherSizeIsRefusedWithTheExpectedShape() {
        CamException e = assertThrows(CamException.class, () -> model.forward(Fixtures.images(1, 4, 9), List.of()));
        assertTrue(e.getMessage().contains("[?, 3, 6, 6]"), e.getMessage());
    }

    @Test
    void aSeedOfTheWrongShapeIsRefused() {
        Tensor one = Fixtures.images(1, TinySavedModel.SIZE, 10);
        CamException e = assertThrows(CamException.class, () -> model.inputBackward().orElseThrow().backward(one, Fixtures.oneHot(1, 3)));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        try (ForwardPass pass = model.forward(one, List.of("act"))) {
            e = assertThrows(CamException.class, () -> pass.gradients(Fixtures.oneHot(2, 2)));
            assertTrue(e.getMessage().contains("seed"), e.getMessage());
        }
    }

    @Test
    void anUnknownArchitectureListsTheKnownOnes() {
        ModelDescriptor d = new ModelDescriptor("x", "tensorflow", exported, "resnet999", 6, 6, new float[3],
                new float[] {1, 1, 1}, List.of(), "", Map.of("classes", "2"));
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(d));
        assertTrue(e.getMessage().contains("resnet999") && e.getMessage().contains(SavedModels.ID)
                && e.getMessage().contains(KerasModel.ID), e.getMessage());
    }

    private static int area() {
        return TinySavedModel.SIZE * TinySavedModel.SIZE;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void assertClose(double[] expected, Tensor actual) {
        float[] data = actual.toArray();
        assertEquals(expected.length, data.length, "size of " + actual);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, "the expected values must not all be zero");
        for (int i = 0; i < data.length; i++) {
            assertEquals(expected[i], data[i], EPS * Math.max(1, scale), "element " + i + " of " + actual);
        }
    }
}
