package org.camkit.backend.djl.internal;

import static org.camkit.backend.djl.internal.TorchScriptFixtures.assertClose;
import static org.camkit.backend.djl.internal.TorchScriptFixtures.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PyTorch engine baseline's raw DJL pass: the output and layer gradient of the backend's own pass. */
class DjlBaselineTest {

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn", "vit"})
    void aTorchScriptModelsRawPassGivesTheBackendsOutputAndLayerGradient(String name) {
        ModelDescriptor descriptor = TorchScriptFixtures.descriptor(name);
        Tensor batch = reference(name, "input.npy");
        int[] shape = batch.shape();
        shape[0] = 1;
        Tensor image = Tensor.copyOf(Arrays.copyOf(batch.toArray(), batch.toArray().length / batch.dim(0)), shape);
        assertRawPassIsTheBackends(descriptor, descriptor.defaultLayer(), image);
    }

    @Test
    void aNetworkBuiltInJavaRunsChildByChildWithItsWeights(@TempDir Path dir) throws Exception {
        int size = 32;
        Path weights = dir.resolve("democnn.params");
        try (NDManager manager = PyTorchRuntime.engine().newBaseManager()) {
            Architectures.Network network = Architectures.build(Architectures.DEMO_CNN, 3);
            network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            Weights.save(network.block(), weights);
        }
        ModelDescriptor descriptor = new ModelDescriptor("demo", "pytorch", weights, Architectures.DEMO_CNN, size,
                size, new float[3], new float[] {1, 1, 1}, List.of("a", "b", "c"), "relu4", Map.of());
        Random random = new Random(5);
        float[] data = new float[3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        EngineBaseline.Run run = assertRawPassIsTheBackends(descriptor, "relu3", Tensor.copyOf(data, new int[] {1, 3, size,
            size}));
        assertEquals(List.of("forward", "backward + gradient read"), List.copyOf(run.stages().keySet()));
    }

    @Test
    void aLayerTheFileDoesNotExportIsRefusedWithTheExportedOnes() {
        ModelDescriptor descriptor = TorchScriptFixtures.descriptor("resnet");
        Tensor image = Tensor.copyOf(new float[3 * 64 * 64], new int[] {1, 3, 64, 64});
        CamException e = assertThrows(CamException.class, () -> new DjlBaseline().load(descriptor, "fc", image));
        assertTrue(e.getMessage().contains("'fc'") && e.getMessage().contains("layer3"), e.getMessage());
    }

    @Test
    void aBatchIsRefused() {
        ModelDescriptor descriptor = TorchScriptFixtures.descriptor("resnet");
        Tensor two = Tensor.copyOf(new float[2 * 3 * 64 * 64], new int[] {2, 3, 64, 64});
        CamException e = assertThrows(CamException.class, () -> new DjlBaseline().load(descriptor, "layer3", two));
        assertTrue(e.getMessage().contains("[1, 3, H, W]"), e.getMessage());
    }

    private static EngineBaseline.Run assertRawPassIsTheBackends(ModelDescriptor descriptor, String layer,
            Tensor image) {
        EngineBaseline.Run raw;
        try (EngineBaseline.Network network = new DjlBaseline().load(descriptor, layer, image)) {
            raw = network.run();
            assertEquals(raw.gradientNorm(), network.run().gradientNorm(), 0, "a second pass repeats the first");
            assertBatchRepeatsTheOutput(network.forward(3, false), raw, descriptor.name() + " from the input");
            assertBatchRepeatsTheOutput(network.forward(2, true), raw, descriptor.name() + " from " + layer);
            assertBatchRepeatsTheOutput(network.forward(1, true), raw, descriptor.name() + " a batch of one");
        }
        try (LoadedModel model = new DjlBackend().load(descriptor);
                ForwardPass pass = model.forward(image, List.of(layer))) {
            Tensor output = pass.output();
            assertClose(output, Tensor.copyOf(raw.output(), output.shape()), 1e-5, descriptor.name() + " raw output");
            assertEquals(EngineBaseline.topClass(output), raw.predicted());
            Tensor gradient = pass.gradients(EngineBaseline.seed(output, raw.predicted())).get(layer);
            assertEquals(gradient.dim(1), raw.channels(), "channels as camkit shows the layer");
            double squares = 0;
            for (float g : gradient.toArray()) {
                squares += (double) g * g;
            }
            double expected = Math.sqrt(squares);
            assertTrue(Math.abs(expected) > 1e-6, "a degenerate gradient would prove nothing");
            assertEquals(expected, raw.gradientNorm(), 1e-4 * Math.abs(expected), descriptor.name() + " gradient norm");
        }
        return raw;
    }

    /** Each image of a batched forward of the repeated image gives the raw pass's output. */
    static void assertBatchRepeatsTheOutput(Tensor outputs, EngineBaseline.Run raw, String what) {
        float[] one = raw.output();
        assertEquals(outputs.size(), outputs.dim(0) * one.length, what + ": " + outputs);
        for (int i = 0; i < outputs.dim(0); i++) {
            float[] row = new float[one.length];
            outputs.copyTo(i * one.length, row, 0, one.length);
            assertClose(Tensor.copyOf(row, new int[] {one.length}), Tensor.copyOf(one, new int[] {one.length}), 1e-4,
                    what + ", image " + i);
        }
    }
}
