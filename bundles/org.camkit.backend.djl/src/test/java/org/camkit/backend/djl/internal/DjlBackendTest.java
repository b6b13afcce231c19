package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlBackendTest {

    private static final int SIZE = 32;
    private static final int CLASSES = 5;
    private static final float EPS = 1e-5f;

    @TempDir
    static Path dir;
    private static Path weights;
    private static NDManager fixtureManager;
    private static Block reference;
    private static LoadedModel model;

    @BeforeAll
    static void trainNothingSaveWeights() throws Exception {
        var engine = PyTorchRuntime.engine();
        fixtureManager = engine.newBaseManager();
        Architectures.Network network = Architectures.build(Architectures.DEMO_CNN, CLASSES);
        network.block().initialize(fixtureManager, DataType.FLOAT32, new Shape(1, 3, SIZE, SIZE));
        weights = dir.resolve("democnn.params");
        Weights.save(network.block(), weights);
        reference = network.block();
        model = new DjlBackend().load(descriptor(weights, List.of("a", "b", "c", "d", "e")));
    }

    @AfterAll
    static void close() {
        model.close();
        fixtureManager.close();
    }

    private static ModelDescriptor descriptor(Path file, List<String> labels) {
        return new ModelDescriptor("demo", "pytorch", file, Architectures.DEMO_CNN, SIZE, SIZE,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, labels, "relu4", Map.of());
    }

    private static Tensor randomInput(int n, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.copyOf(data, new int[] {n, 3, SIZE, SIZE});
    }

    private static Tensor randomSeed(int n, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * CLASSES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.copyOf(data, new int[] {n, CLASSES});
    }

    @Test
    void demoCnnHasALinearHeadEnteredByRelu4WithTheFcWeights() {
        assertEquals(java.util.EnumSet.allOf(Capability.class), Capability.of(model));
        Block fc = reference.getChildren().get(12).getValue();
        LinearHead head = model.linearHead().orElseThrow();
        assertEquals("relu4", head.layer());
        assertArrayEquals(new int[] {CLASSES, 256}, head.weights().shape());
        assertArrayEquals(fc.getParameters().get("weight").getArray().toFloatArray(), head.weights().toArray());
        assertArrayEquals(fc.getParameters().get("bias").getArray().toFloatArray(), head.bias());
        BlockModelsTest.assertCamIdentity(model, head, randomInput(2, 12));
    }

    @Test
    void layersAreTheArchitecturesNames() {
        assertEquals(List.of("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3",
                "conv4", "relu4", "gap", "fc"), model.layers());
    }

    @Test
    void outputEqualsTheBlocksOwnForward() {
        Tensor input = randomInput(2, 1);
        float[] expected;
        try (NDManager manager = fixtureManager.newSubManager()) {
            NDArray x = Tensors.toNd(manager, input);
            expected = reference.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow().toFloatArray();
        }
        try (ForwardPass plain = model.forward(input, List.of());
                ForwardPass capturing = model.forward(input, List.of("relu2", "relu4"))) {
            assertArrayEquals(new int[] {2, CLASSES}, plain.output().shape());
            assertArrayEquals(expected, plain.output().toArray(), EPS);
            assertArrayEquals(expected, capturing.output().toArray(), EPS);
            assertArrayEquals(new int[] {2, 256, 4, 4}, capturing.activations("relu4").shape());
        }
    }

    @Test
    void gradientAtRelu4IsTheFcWeightOverTheMapArea() {
        float[] fc = reference.getChildren().get(12).getValue().getParameters().get("weight").getArray()
                .toFloatArray(); // [CLASSES, 256]
        int[] target = {3, 1};
        float[] seed = new float[2 * CLASSES];
        seed[target[0]] = 1;
        seed[CLASSES + target[1]] = 1;
        try (ForwardPass pass = model.forward(randomInput(2, 2), List.of("relu4"))) {
            Tensor gradient = pass.gradients(Tensor.copyOf(seed, new int[] {2, CLASSES})).get("relu4");
            assertArrayEquals(new int[] {2, 256, 4, 4}, gradient.shape());
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 256; k++) {
                    float expected = fc[target[n] * 256 + k] / 16f;
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            assertEquals(expected, gradient.at(n, k, i, j), 1e-7f, "n=" + n + " k=" + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsAtTwoLayersEqualThoseCapturedAlone() {
        Tensor input = randomInput(2, 3);
        Tensor seed = randomSeed(2, 4);
        Map<String, Tensor> both;
        Tensor relu3Alone;
        Tensor relu4Alone;
        try (ForwardPass pass = model.forward(input, List.of("relu3", "relu4"))) {
            both = pass.gradients(seed);
        }
        try (ForwardPass pass = model.forward(input, List.of("relu3"))) {
            relu3Alone = pass.gradients(seed).get("relu3");
        }
        try (ForwardPass pass = model.forward(input, List.of("relu4"))) {
            relu4Alone = pass.gradients(seed).get("relu4");
        }
        assertEquals(List.of("relu3", "relu4"), List.copyOf(both.keySet()));
        assertArrayEquals(relu3Alone.toArray(), both.get("relu3").toArray(), EPS);
        assertArrayEquals(relu4Alone.toArray(), both.get("relu4").toArray(), EPS);
        assertTrue(maxAbs(relu3Alone.toArray()) > 0, "relu3 gradient must not vanish");
    }

    @Test
    void concurrentPassesGiveTheSameResultsAsOne() throws Exception {
        Tensor input = randomInput(1, 5);
        Tensor seed = randomSeed(1, 6);
        float[] expected;
        try (ForwardPass pass = model.forward(input, List.of("relu3"))) {
            expected = pass.gradients(seed).get("relu3").toArray();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    try (ForwardPass pass = model.forward(input, List.of("relu3"))) {
                        return pass.gradients(seed).get("relu3").toArray();
                    }
                }));
            }
            for (Future<float[]> result : results) {
                assertArrayEquals(expected, result.get(), EPS);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void unknownLayerIsRefusedWithTheKnownLayers() {
        CamException e = assertThrows(CamException.class, () -> model.forward(randomInput(1, 7), List.of("conv9")));
        assertTrue(e.getMessage().contains("conv9") && e.getMessage().contains("relu4"), e.getMessage());
    }

    @Test
    void secondBackPropagationIsRefused() {
        try (ForwardPass pass = model.forward(randomInput(1, 8), List.of("relu4"))) {
            pass.gradients(randomSeed(1, 9));
            CamException e = assertThrows(CamException.class, () -> pass.gradients(randomSeed(1, 9)));
            assertTrue(e.getMessage().contains("new forward pass"), e.getMessage());
        }
    }

    @Test
    void missingWeightsFileIsNamed() {
        Path missing = dir.resolve("nowhere.params");
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(descriptor(missing, List.of("a", "b", "c", "d", "e"))));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void corruptWeightsFileIsNamed() throws Exception {
        Path truncated = dir.resolve("truncated.params");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(descriptor(truncated, List.of("a", "b", "c", "d", "e"))));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }

    @Test
    void weightsForAnotherClassCountAreRefused() {
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(descriptor(weights, List.of("a", "b", "c"))));
        assertTrue(e.getMessage().contains(weights.toString()) && e.getMessage().contains("3 classes"),
                e.getMessage());
    }

    @Test
    void unknownArchitectureListsTheKnownOnes() {
        ModelDescriptor d = new ModelDescriptor("x", "pytorch", weights, "resnet999", SIZE, SIZE,
                new float[3], new float[] {1, 1, 1}, List.of(), "", Map.of("classes", "5"));
        CamException e = assertThrows(CamException.class, () -> new DjlBackend().load(d));
        assertTrue(e.getMessage().contains("resnet999") && e.getMessage().contains(Architectures.DEMO_CNN),
                e.getMessage());
    }

    @Test
    void classCountComesFromTheClassesPropertyWithoutLabels() {
        ModelDescriptor d = new ModelDescriptor("x", "pytorch", weights, Architectures.DEMO_CNN, SIZE, SIZE,
                new float[3], new float[] {1, 1, 1}, List.of(), "", Map.of("classes", "5"));
        try (LoadedModel loaded = new DjlBackend().load(d);
                ForwardPass pass = loaded.forward(randomInput(1, 10), List.of())) {
            assertArrayEquals(new int[] {1, CLASSES}, pass.output().shape());
        }
    }

    @Test
    void closedModelRefusesForwardPasses() {
        LoadedModel loaded = new DjlBackend().load(descriptor(weights, List.of("a", "b", "c", "d", "e")));
        loaded.close();
        CamException e = assertThrows(CamException.class, () -> loaded.forward(randomInput(1, 11), List.of()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
