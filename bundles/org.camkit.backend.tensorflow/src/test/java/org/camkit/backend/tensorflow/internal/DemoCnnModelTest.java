package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo CNN in TensorFlow on its own: identities of its head, concurrency, closing, and bad input. */
class DemoCnnModelTest {

    private static final int SIZE = 48;

    @TempDir
    static Path dir;
    private static LoadedModel model;

    @BeforeAll
    static void load() {
        model = new TfBackend().load(small(Fixtures.demoWeights(), Fixtures.LABELS));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The demo weights on smaller images (the network ends in a global average pool), to keep tests quick. */
    private static ModelDescriptor small(Path weights, List<String> labels) {
        return new ModelDescriptor("demo-small", "tensorflow", weights, DemoCnn.ID, SIZE, SIZE,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, labels, "relu4", Map.of());
    }

    @Test
    void outputIsTheLinearHeadOnTheMeanOfRelu4() {
        LinearHead head = model.linearHead().orElseThrow();
        assertEquals("relu4", head.layer());
        assertArrayEquals(new int[] {2, 256}, head.weights().shape());
        try (ForwardPass pass = model.forward(Fixtures.images(2, SIZE, 1), List.of("relu4"))) {
            Tensor a = pass.activations("relu4");
            float[] w = head.weights().toArray();
            float[] data = a.toArray();
            int area = a.dim(2) * a.dim(3);
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 2; k++) {
                    double logit = head.bias()[k];
                    for (int c = 0; c < 256; c++) {
                        double mean = 0;
                        for (int p = 0; p < area; p++) {
                            mean += data[(n * 256 + c) * area + p];
                        }
                        logit += w[k * 256 + c] * mean / area;
                    }
                    assertEquals(logit, pass.output().at(n, k), 1e-4, "logit " + k + " of image " + n);
                }
            }
        }
    }

    @Test
    void gradientAtRelu4IsTheClassWeightOverTheMapArea() {
        LinearHead head = model.linearHead().orElseThrow();
        try (ForwardPass pass = model.forward(Fixtures.images(2, SIZE, 2), List.of("relu4"))) {
            Tensor gradient = pass.gradients(Fixtures.oneHot(2, 2)).get("relu4");
            int area = gradient.dim(2) * gradient.dim(3);
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 256; c++) {
                    float expected = head.weights().at(n % 2, c) / area;
                    assertEquals(expected, gradient.at(n, c, 1, 2), 1e-7f, "channel " + c + " of image " + n);
                }
            }
        }
    }

    @Test
    void fourThreadsOnOneModelGetTheResultsOfOne() throws Exception {
        Tensor input = Fixtures.images(1, SIZE, 5);
        Tensor seed = Fixtures.oneHot(1, 2);
        float[] expectedGradient;
        float[] expectedOutput;
        try (ForwardPass pass = model.forward(input, List.of("relu3"))) {
            expectedOutput = pass.output().toArray();
            expectedGradient = pass.gradients(seed).get("relu3").toArray();
        }
        float[] expectedInputGradient = model.inputBackward().orElseThrow().backward(input, seed).input().toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> {
                    try (ForwardPass pass = model.forward(input, List.of("relu3"))) {
                        return new float[][] {pass.output().toArray(), pass.gradients(seed).get("relu3").toArray(),
                            model.inputBackward().orElseThrow().backward(input, seed).input().toArray()};
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
        LoadedModel closed = new TfBackend().load(small(Fixtures.demoWeights(), Fixtures.LABELS));
        Tensor input = Fixtures.images(1, SIZE, 6);
        ForwardPass pass = closed.forward(input, List.of("relu4"));
        closed.close();
        closed.close();
        for (Runnable call : List.<Runnable>of(() -> closed.forward(input, List.of()),
                () -> pass.gradients(Fixtures.oneHot(1, 2)),
                        () -> closed.inputBackward().orElseThrow().backward(input, Fixtures.oneHot(1, 2)),
                () -> closed.layerForward().orElseThrow().outputFrom("relu4", pass.activations("relu4")))) {
            CamException e = assertThrows(CamException.class, call::run);
            assertTrue(e.getMessage().contains("demo-small") && e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void unknownLayerIsRefusedWithTheKnownLayers() {
        CamException e = assertThrows(CamException.class,
                () -> model.forward(Fixtures.images(1, SIZE, 7), List.of("conv9")));
        assertTrue(e.getMessage().contains("conv9") && e.getMessage().contains("relu4"), e.getMessage());
        e = assertThrows(CamException.class, () -> model.layerForward().orElseThrow().outputFrom("conv9",
                Fixtures.images(1, SIZE, 7)));
        assertTrue(e.getMessage().contains("conv9"), e.getMessage());
    }

    @Test
    void secondBackPropagationOfAPassIsRefused() {
        try (ForwardPass pass = model.forward(Fixtures.images(1, SIZE, 8), List.of("relu4"))) {
            pass.gradients(Fixtures.oneHot(1, 2));
            CamException e = assertThrows(CamException.class, () -> pass.gradients(Fixtures.oneHot(1, 2)));
            assertTrue(e.getMessage().contains("new forward pass"), e.getMessage());
        }
    }

    @Test
    void inputOfAnotherSizeIsRefusedWithTheExpectedShape() {
        CamException e = assertThrows(CamException.class, () -> model.forward(Fixtures.images(1, 32, 9), List.of()));
        assertTrue(e.getMessage().contains("[?, 3, 48, 48]"), e.getMessage());
    }

    @Test
    void aSeedOfTheWrongShapeIsRefused() {
        Tensor input = Fixtures.images(1, SIZE, 10);
        CamException e = assertThrows(CamException.class, () -> model.inputBackward().orElseThrow().backward(input,
                Fixtures.oneHot(1, 3)));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        try (ForwardPass pass = model.forward(input, List.of("relu4"))) {
            e = assertThrows(CamException.class, () -> pass.gradients(Fixtures.oneHot(2, 2)));
            assertTrue(e.getMessage().contains("seed"), e.getMessage());
        }
    }

    @Test
    void biasTermsAreBiasTimesGradientAtEachConvolution() {
        Tensor input = Fixtures.images(1, SIZE, 13);
        Tensor seed = Fixtures.oneHot(1, 2);
        InputGradients gradients = model.biasBackward().orElseThrow().backward(input, seed);
        assertEquals(List.of("conv1", "conv2", "conv3", "conv4", "fc"), List.copyOf(gradients.biasTerms().keySet()));
        Tensor conv2Gradient;
        try (ForwardPass pass = model.forward(input, List.of("conv2"))) {
            conv2Gradient = pass.gradients(seed).get("conv2");
        }
        float[] bias = DemoCnnModelTest.conv2Bias();
        Tensor terms = gradients.biasTerms().get("conv2");
        assertArrayEquals(conv2Gradient.shape(), terms.shape());
        for (int c = 0; c < 64; c++) {
            assertEquals(bias[c] * conv2Gradient.at(0, c, 3, 5), terms.at(0, c, 3, 5), 1e-9f, "channel " + c);
        }
    }

    @Test
    void classCountComesFromTheClassesPropertyWithoutLabels() {
        ModelDescriptor d = new ModelDescriptor("x", "tensorflow", Fixtures.demoWeights(), DemoCnn.ID, SIZE, SIZE,
                new float[3], new float[] {1, 1, 1}, List.of(), "", Map.of("classes", "2"));
        try (LoadedModel loaded = new TfBackend().load(d);
                ForwardPass pass = loaded.forward(Fixtures.images(1, SIZE, 14), List.of())) {
            assertArrayEquals(new int[] {1, 2}, pass.output().shape());
        }
    }

    @Test
    void missingWeightsFileIsNamed() {
        Path missing = dir.resolve("nowhere.params");
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(small(missing, Fixtures.LABELS)));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void weightsForAnotherClassCountAreRefused() {
        Path weights = Fixtures.demoWeights();
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(small(weights, List.of("a", "b", "c"))));
        assertTrue(e.getMessage().contains(weights.toString()) && e.getMessage().contains("2 classes")
                && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void truncatedWeightsFileIsNamed() throws Exception {
        Path truncated = dir.resolve("truncated.params");
        byte[] bytes = Files.readAllBytes(Fixtures.demoWeights());
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        CamException e = assertThrows(CamException.class,
                () -> new TfBackend().load(small(truncated, Fixtures.LABELS)));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }

    @Test
    void weightsWithTrailingDataAreRefused() throws Exception {
        Path longer = dir.resolve("longer.params");
        byte[] bytes = Files.readAllBytes(Fixtures.demoWeights());
        Files.write(longer, Arrays.copyOf(bytes, bytes.length + 8));
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(small(longer, Fixtures.LABELS)));
        assertTrue(e.getMessage().contains(longer.toString()) && e.getMessage().contains("another architecture"),
                e.getMessage());
    }

    @Test
    void unknownArchitectureListsTheKnownOnes() {
        ModelDescriptor d = new ModelDescriptor("x", "tensorflow", Fixtures.demoWeights(), "resnet999", SIZE, SIZE,
                new float[3], new float[] {1, 1, 1}, List.of(), "", Map.of("classes", "2"));
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(d));
        assertTrue(e.getMessage().contains("resnet999") && e.getMessage().contains(DemoCnn.ID)
                && e.getMessage().contains(SavedModels.ID), e.getMessage());
    }

    /** conv2's bias as the weight file holds it, read with the project's reader. */
    private static float[] conv2Bias() {
        try {
            return DemoCnn.read(Fixtures.demoWeights()).biases().get(1).values();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
