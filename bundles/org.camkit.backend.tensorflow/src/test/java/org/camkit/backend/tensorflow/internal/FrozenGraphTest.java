package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.spi.Capability;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A frozen GraphDef (weights as constants) serves exactly as the SavedModel of the same network. */
class FrozenGraphTest {

    @TempDir
    Path dir;

    private static ModelDescriptor frozen(Path file) {
        return new ModelDescriptor("tiny-frozen", "tensorflow", file, SavedModels.FROZEN, TinySavedModel.SIZE,
                TinySavedModel.SIZE, new float[] {0, 0, 0}, new float[] {1, 1, 1}, List.of("a", "b"), "act",
                TinySavedModel.properties());
    }

    @Test
    void aFrozenGraphGivesTheSavedModelsActivationsGradientsAndOutputs() throws Exception {
        TensorFlowRuntime.load();
        TinySavedModel tiny = new TinySavedModel(7);
        tiny.export(dir.resolve("saved"));
        tiny.freeze(dir.resolve("tiny.pb"));
        Tensor input = Fixtures.images(2, TinySavedModel.SIZE, 3);
        Tensor seed = Tensor.copyOf(new float[] {1, -0.5f, 0.25f, 2}, new int[] {2, 2});
        try (LoadedModel saved = new TfBackend().load(TinySavedModel.descriptor(dir.resolve("saved"),
                TinySavedModel.properties()));
                LoadedModel frozen = new TfBackend().load(frozen(dir.resolve("tiny.pb")))) {
            assertEquals(saved.layers(), frozen.layers());
            assertEquals(Capability.of(saved), Capability.of(frozen));
            try (ForwardPass a = saved.forward(input, List.of("act"));
                    ForwardPass b = frozen.forward(input, List.of("act"))) {
                assertArrayEquals(a.output().toArray(), b.output().toArray(), 1e-6f);
                assertArrayEquals(a.activations("act").toArray(), b.activations("act").toArray(), 1e-6f);
                Map<String, Tensor> ga = a.gradients(seed);
                Map<String, Tensor> gb = b.gradients(seed);
                assertArrayEquals(ga.get("act").toArray(), gb.get("act").toArray(), 1e-6f);
            }
            assertArrayEquals(saved.inputBackward().orElseThrow().backward(input, seed).input().toArray(),
                    frozen.inputBackward().orElseThrow().backward(input, seed).input().toArray(), 1e-6f);
        }
    }

    @Test
    void aFileThatIsNotAGraphIsNamed() throws Exception {
        TensorFlowRuntime.load();
        Path junk = dir.resolve("junk.pb");
        Files.write(junk, new byte[] {9, 9, 9, 9, 9});
        CamException e = assertThrows(CamException.class, () -> new TfBackend().load(frozen(junk)));
        assertTrue(e.getMessage().contains("junk.pb") && e.getMessage().contains("GraphDef"), e.getMessage());
        CamException missing = assertThrows(CamException.class,
                () -> new TfBackend().load(frozen(dir.resolve("none.pb"))));
        assertTrue(missing.getMessage().contains("none.pb"), missing.getMessage());
    }
}
