package org.camkit.backend.djl.internal;

import static org.camkit.backend.djl.internal.TorchScriptFixtures.descriptor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.TokenGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading TorchScript files: the dispatch, files without the layer split, and files or descriptors that are wrong. */
class TorchScriptLoadTest {

    /** A TorchScript classifier with only forward(x): input [N, 3, 16, 16], 3 classes (src/test/python). */
    private static final String NO_SPLIT = "/torchscript/nosplit.pt";

    @TempDir
    Path dir;

    private static Path noSplitFile() throws Exception {
        return Path.of(TorchScriptLoadTest.class.getResource(NO_SPLIT).toURI());
    }

    private static ModelDescriptor plain(Path file, String architecture, int size, String defaultLayer) {
        return new ModelDescriptor("tiny", "pytorch", file, architecture, size, size, new float[3],
                new float[] {1, 1, 1}, List.of("a", "b", "c"), defaultLayer, Map.of());
    }

    /** A copy of {@code d} with another size, default layer, properties or token grid. */
    private static ModelDescriptor with(ModelDescriptor d, int size, String defaultLayer,
            Map<String, String> properties, TokenGrid tokens) {
        return new ModelDescriptor(d.name(), d.backend(), d.file(), d.architecture(), size, size, d.mean(), d.std(),
                d.labels(), defaultLayer, properties, d.channelOrder(), tokens);
    }

    private static Tensor random(int... shape) {
        Random random = new Random(3);
        float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.copyOf(data, shape);
    }

    @Test
    void torchscriptArchitectureOrATorchScriptFileNameSelectsTheTorchScriptLoader() {
        assertTrue(TorchScriptModel.describes(plain(Path.of("m.bin"), "torchscript", 8, "")));
        assertTrue(TorchScriptModel.describes(plain(Path.of("m.bin"), "TorchScript", 8, "")));
        assertTrue(TorchScriptModel.describes(plain(Path.of("m.pt"), "", 8, "")));
        assertTrue(TorchScriptModel.describes(plain(Path.of("m.pth"), "", 8, "")));
        assertTrue(TorchScriptModel.describes(plain(Path.of("m.torchscript"), "", 8, "")));
        assertFalse(TorchScriptModel.describes(plain(Path.of("m.pt"), Architectures.DEMO_CNN, 8, "")));
        assertFalse(TorchScriptModel.describes(plain(Path.of("m.params"), "", 8, "")));
    }

    @Test
    void fileWithoutTheLayerSplitLoadsWithInputGradientsOnlyAndSaysHowToExportIt() throws Exception {
        try (LoadedModel model = new DjlBackend().load(plain(noSplitFile(), "", 16, "conv"))) {
            assertInstanceOf(TorchScriptModel.class, model);
            assertEquals(List.of(), model.layers());
            assertEquals(Set.of(Capability.INPUT_GRADIENTS), Capability.of(model));
            Tensor input = random(2, 3, 16, 16);
            CamException e = assertThrows(CamException.class, () -> model.forward(input, List.of("conv")));
            assertTrue(e.getMessage().contains("'conv'") || e.getMessage().contains("[conv]"), e.getMessage());
            assertTrue(e.getMessage().contains("tools/camkit-export/camkit_export.py")
                    && e.getMessage().contains("features_<layer> and head_<layer>"), e.getMessage());
            assertTrue(model.layerForward().isEmpty());
            assertTrue(model.capabilityHint().contains("tools/camkit-export"), model.capabilityHint());
            float[] output;
            try (ForwardPass pass = model.forward(input, List.of())) {
                assertArrayEquals(new int[] {2, 3}, pass.output().shape());
                output = pass.output().toArray();
            }
            float[] seed = {1, 0, 0, 0, 0, 1};
            InputGradients gradients = model.inputBackward().orElseThrow().backward(input, Tensor.copyOf(seed,
                    new int[] {2, 3}));
            assertArrayEquals(output, gradients.output().toArray(), 1e-5f);
            assertArrayEquals(new int[] {2, 3, 16, 16}, gradients.input().shape());
            float[] g = gradients.input().toArray();
            assertTrue(IntStream.range(0, g.length).anyMatch(i -> g[i] != 0), "the input gradient must not vanish");
        }
    }

    @Test
    void labelsThatDoNotMatchTheOutputAreRefusedAtLoad() {
        ModelDescriptor resnet = TorchScriptFixtures.descriptor("resnet");
        ModelDescriptor three = new ModelDescriptor(resnet.name(), resnet.backend(), resnet.file(),
                resnet.architecture(), resnet.inputWidth(), resnet.inputHeight(), resnet.mean(), resnet.std(),
                List.of("cat", "dog", "duck"), resnet.defaultLayer(), resnet.properties());
        CamException e = assertThrows(CamException.class, () -> new DjlBackend().load(three));
        assertEquals("model 'resnet': its descriptor lists 3 labels [cat, dog, duck] but the model outputs 10 classes; "
                + "give one label per output class, in output order", e.getMessage());
    }

    @Test
    void corruptFileIsRefusedNamingTheFile() throws Exception {
        Path corrupt = dir.resolve("corrupt.pt");
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Files.write(corrupt, bytes);
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(plain(corrupt, "torchscript", 16, "")));
        assertTrue(e.getMessage().contains(corrupt.toString()) && e.getMessage().contains("TorchScript"),
                e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("missing.pt");
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(plain(missing, "torchscript", 16, "")));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void defaultLayerThatIsNotExportedIsRefusedListingTheExportedLayers() {
        ModelDescriptor d = descriptor("resnet");
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(with(d, d.inputWidth(), "layer4", d.properties(), d.tokens())));
        assertTrue(e.getMessage().contains("'layer4'") && e.getMessage().contains("[layer1, layer2, layer3]"),
                e.getMessage());
    }

    @Test
    void listedLayerThatIsNotExportedIsRefused() {
        ModelDescriptor d = descriptor("resnet");
        CamException e = assertThrows(CamException.class, () -> new DjlBackend().load(
                with(d, d.inputWidth(), d.defaultLayer(), Map.of("layers", "layer1,stem"), d.tokens())));
        assertTrue(e.getMessage().contains("'stem'") && e.getMessage().contains("layers"), e.getMessage());
    }

    @Test
    void inputSizeTheModelCannotTakeIsRefusedAtLoad() {
        ModelDescriptor d = descriptor("vit");
        CamException e = assertThrows(CamException.class,
                () -> new DjlBackend().load(with(d, 2 * d.inputWidth(), d.defaultLayer(), d.properties(),
                        d.tokens())));
        String size = "[1, 3, " + 2 * d.inputHeight() + ", " + 2 * d.inputWidth() + "]";
        assertTrue(e.getMessage().contains(size) && e.getMessage().contains("inputWidth"), e.getMessage());
    }

    @Test
    void tokenCountOtherThanTheDescriptorsGridIsRefusedAtLoad() {
        ModelDescriptor d = descriptor("vit");
        CamException e = assertThrows(CamException.class, () -> new DjlBackend().load(
                with(d, d.inputWidth(), d.defaultLayer(), d.properties(), new TokenGrid(1, 3, 3))));
        assertTrue(e.getMessage().contains("17 tokens") && e.getMessage().contains("= 10"), e.getMessage());
    }

    @Test
    void tokenActivationsWithoutAGridAreRefusedAtLoad() {
        ModelDescriptor d = descriptor("vit");
        CamException e = assertThrows(CamException.class, () -> new DjlBackend().load(
                with(d, d.inputWidth(), d.defaultLayer(), d.properties(), null)));
        assertTrue(e.getMessage().contains("\"tokens\""), e.getMessage());
    }
}
