package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TensorFlow engine baseline: one session run gives the backend's output and the top class's layer gradient. */
class TfBaselineTest {

    @TempDir
    static Path dir;
    private static ModelDescriptor savedModel;
    private static ModelDescriptor frozen;

    @BeforeAll
    static void exportTheTinyNetwork() throws Exception {
        TensorFlowRuntime.load();
        TinySavedModel tiny = new TinySavedModel(11);
        tiny.export(dir.resolve("tiny"));
        tiny.freeze(dir.resolve("tiny.pb"));
        savedModel = TinySavedModel.descriptor(dir.resolve("tiny"), TinySavedModel.properties());
        frozen = new ModelDescriptor("tiny-frozen", "tensorflow", dir.resolve("tiny.pb"), SavedModels.FROZEN,
                TinySavedModel.SIZE, TinySavedModel.SIZE, new float[3], new float[] {1, 1, 1}, List.of("a", "b"),
                "act", TinySavedModel.properties());
    }

    @Test
    void aSavedModelsRawPassIsTheBackendsOutputAndTopClassGradientAtEachLayer() {
        for (String layer : List.of("act", "biased")) {
            assertRawPassIsTheBackends(savedModel, layer, Fixtures.images(1, TinySavedModel.SIZE, 3), 4);
        }
    }

    @Test
    void aFrozenGraphsRawPassIsTheBackendsToo() {
        assertRawPassIsTheBackends(frozen, "act", Fixtures.images(1, TinySavedModel.SIZE, 4), 4);
    }

    @Test
    void aKerasModelsRawPassRunsItsGradientSignatureSeededWithTheTopClass() {
        ModelDescriptor resnet = KerasFixtures.descriptor("tensorflow", "resnet");
        Tensor image = KerasFixtures.toNchw(KerasFixtures.reference("tensorflow", "resnet", "input.npy"));
        float[] first = java.util.Arrays.copyOf(image.toArray(), image.toArray().length / image.dim(0));
        Tensor one = Tensor.copyOf(first, new int[] {1, 3, image.dim(2), image.dim(3)});
        EngineBaseline.Run run = assertRawPassIsTheBackends(resnet, "layer3", one, 64);
        assertEquals(10, run.output().length);
        assertTrue(run.stages().isEmpty(), "one session run: no stages timed apart");
    }

    @Test
    void aLayerNotInTheGraphIsNamed() {
        Tensor one = Fixtures.images(1, TinySavedModel.SIZE, 5);
        CamException e = assertThrows(CamException.class, () -> new TfBaseline().load(savedModel, "block9", one));
        assertTrue(e.getMessage().contains("'block9'"), e.getMessage());
    }

    @Test
    void anArchitectureWithoutABaselineIsNamedWithTheOnesThatHaveOne() {
        ModelDescriptor other = new ModelDescriptor("x", "tensorflow", dir, "resnet999", 6, 6, new float[3],
                new float[] {1, 1, 1}, List.of(), "act", Map.of());
        CamException e = assertThrows(CamException.class,
                () -> new TfBaseline().load(other, "act", Fixtures.images(1, 6, 6)));
        assertTrue(e.getMessage().contains("resnet999") && e.getMessage().contains(SavedModels.ID)
                && e.getMessage().contains(KerasModel.ID), e.getMessage());
    }

    @Test
    void aBatchIsRefused() {
        CamException e = assertThrows(CamException.class,
                () -> new TfBaseline().load(savedModel, "act", Fixtures.images(2, TinySavedModel.SIZE, 7)));
        assertTrue(e.getMessage().contains("[1, 3, H, W]"), e.getMessage());
    }

    private static EngineBaseline.Run assertRawPassIsTheBackends(ModelDescriptor model, String layer, Tensor image,
            int channels) {
        EngineBaseline.Run run;
        try (EngineBaseline.Network network = new TfBaseline().load(model, layer, image)) {
            run = network.run();
            assertEquals(run.gradientNorm(), network.run().gradientNorm(), 0, "a second pass repeats the first");
            assertBatchRepeatsTheOutput(network.forward(3, false), run, model.name() + " from the input");
            assertBatchRepeatsTheOutput(network.forward(2, true), run, model.name() + " from " + layer);
        }
        try (LoadedModel loaded = new TfBackend().load(model);
                ForwardPass pass = loaded.forward(image, List.of(layer))) {
            Tensor output = pass.output();
            assertTrue(Fixtures.relative(output, Tensor.copyOf(run.output(), output.shape())) < 1e-6, "output");
            assertEquals(EngineBaseline.topClass(output), run.predicted());
            assertEquals(channels, run.channels());
            double squares = 0;
            for (float g : pass.gradients(EngineBaseline.seed(output, run.predicted())).get(layer).toArray()) {
                squares += (double) g * g;
            }
            double expected = Math.sqrt(squares);
            assertTrue(Math.abs(expected) > 1e-6, "a degenerate gradient would prove nothing");
            assertEquals(expected, run.gradientNorm(), 1e-5 * Math.abs(expected), model.name() + " at " + layer);
        }
        return run;
    }

    /** Each image of a batched forward of the repeated image gives the raw pass's output. */
    private static void assertBatchRepeatsTheOutput(Tensor outputs, EngineBaseline.Run run, String what) {
        float[] one = run.output();
        assertEquals(outputs.size(), outputs.dim(0) * one.length, what + ": " + outputs);
        for (int i = 0; i < outputs.dim(0); i++) {
            float[] row = new float[one.length];
            outputs.copyTo(i * one.length, row, 0, one.length);
            assertTrue(Fixtures.relative(Tensor.copyOf(one, new int[] {one.length}),
                    Tensor.copyOf(row, new int[] {one.length})) < 1e-5, what + ", image " + i);
        }
    }
}
