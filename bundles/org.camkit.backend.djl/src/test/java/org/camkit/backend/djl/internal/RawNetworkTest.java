package org.camkit.backend.djl.internal;

import static org.camkit.backend.djl.internal.TorchScriptFixtures.assertClose;
import static org.camkit.backend.djl.internal.TorchScriptFixtures.reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.camkit.spi.TokenGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** cam:bench's raw DJL pass on TorchScript models: the same output and layer gradient as the backend's pass. */
class RawNetworkTest {

    @Test
    void predictedClassOfAClassifierIsItsLargestLogitAndTheSeedIsItsOneHot() {
        float[] logits = {0.5f, 2f, -1f};
        assertEquals(1, RawNetwork.predicted(logits, new long[] {1, 3}));
        assertArrayEquals(new float[] {0, 1, 0}, RawNetwork.seed(1, 3, new long[] {1, 3}));
    }

    @Test
    void predictedClassOfASegmentationIsTheLargestMapSumAndTheSeedCoversItsMap() {
        float[] maps = {9, 0, 0, 0, 1, 1, 1, 1}; // [1, 2, 2, 2]: class 0 sums 9, class 1 sums 4
        assertEquals(0, RawNetwork.predicted(maps, new long[] {1, 2, 2, 2}));
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, RawNetwork.seed(1, 8, new long[] {1, 2, 2, 2}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "fcn", "vit"})
    void rawPassGivesTheBackendsOutputAndLayerGradient(String name) {
        BenchDescriptor json = BenchDescriptor.read(TorchScriptFixtures.dir().resolve(name + ".json"));
        String layer = json.text("defaultLayer");
        Tensor batch = reference(name, "input.npy");
        int[] shape = batch.shape();
        shape[0] = 1;
        float[] image = Arrays.copyOf(batch.toArray(), batch.toArray().length / 2);
        RawNetwork.Result raw;
        try (RawNetwork network = RawNetwork.load(json, shape[2], layer)) {
            assertEquals(TorchScriptModel.ARCHITECTURE, network.architecture());
            raw = network.run(image);
        }
        try (LoadedModel model = new DjlBackend().load(TorchScriptFixtures.descriptor(name));
                ForwardPass pass = model.forward(Tensor.copyOf(image, shape), List.of(layer))) {
            Tensor output = pass.output();
            assertClose(output, Tensor.copyOf(raw.logits(), output.shape()), 1e-5, name + " raw output");
            long[] outputShape = Arrays.stream(output.shape()).asLongStream().toArray();
            assertEquals(RawNetwork.predicted(output.toArray(), outputShape), raw.predicted());
            float[] seed = RawNetwork.seed(raw.predicted(), raw.logits().length, outputShape);
            Tensor gradient = pass.gradients(Tensor.copyOf(seed, output.shape())).get(layer);
            assertEquals(gradient.dim(1), raw.channels(), "channels as camkit shows the layer");
            TokenGrid tokens = model.descriptor().tokens();
            Tensor rawGradient = tokens == null ? Tensor.copyOf(raw.gradient(), gradient.shape())
                    : tokens.toGrid(Tensor.copyOf(raw.gradient(), new int[] {1, tokens.tokens(), raw.channels()}));
            assertClose(gradient, rawGradient, 1e-5, name + " raw gradient at " + layer);
        }
    }

    @Test
    void rawPassRefusesALayerTheFileDoesNotExport() {
        BenchDescriptor json = BenchDescriptor.read(TorchScriptFixtures.dir().resolve("resnet.json"));
        CamException e = assertThrows(CamException.class, () -> RawNetwork.load(json, 64, "fc"));
        assertTrue(e.getMessage().contains("'fc'") && e.getMessage().contains("layer3"), e.getMessage());
    }
}
