package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.camkit.demo.internal.DemoRun;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.MapProcessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every method of pytorch-grad-cam's table, through the Explainer service, on the real demo models in Felix. */
@ExtendWith(FelixRuntime.class)
class MethodsIT {

    /** The README's method table; each must be registered by the camkit feature (included in every backend's). */
    static final List<String> METHODS = List.of("gradcam", "hirescam", "gradcamelementwise", "gradcam++",
            "xgradcam", "layercam", "eigencam", "eigengradcam", "scorecam", "ablationcam", "fullgrad", "dff",
            "guidedbackprop", "guidedgradcam", "occlusion", "cam", "randomcam", "fem", "segeigencam",
            "kpcacam", "finercam", "refinecam", "shapleycam", "smoothgradcam++", "sobel", "sscam", "iscam", "lime",
            "kernelshap", "partitionshap");

    /**
     * Options that keep the slowest perturbation methods to a few hundred passes here; their defaults are checked
     * against their reference tools in TorchCamOracleIT, AgnosticMethodsIT and PartitionShapIT.
     */
    static final Map<String, Map<String, String>> LIGHT = Map.of("sscam", Map.of("samples", "1"), "iscam",
            Map.of("samples", "1"), "lime", Map.of("samples", "200"), "kernelshap", Map.of("segments", "20",
            "samples", "300"), "partitionshap", Map.of("max-evals", "200"));

    private final Explainer explainer = FelixRuntime.explainer();

    @TempDir
    Path dir;

    static List<String> methods() {
        return METHODS;
    }

    /**
     * Every method but DFF, which factorises the batch jointly (as pytorch-grad-cam does): its concepts depend on it,
     * and RandomCAM, whose weights are drawn for the batch (as NumPy's are).
     */
    static List<String> batchIndependentMethods() {
        return METHODS.stream().filter(m -> !m.equals("dff") && !m.equals("randomcam")).toList();
    }

    /** @return a request on the biased demo model for the method, with its {@link #LIGHT} options */
    private static ExplainRequest.Builder request(String method) {
        return light(ExplainRequest.builder(Scenes.BIASED), method);
    }

    /**
     * @param request a request
     * @param method  the method to set on it
     * @return the request with the method and its {@link #LIGHT} options
     */
    static ExplainRequest.Builder light(ExplainRequest.Builder request, String method) {
        request.method(method);
        LIGHT.getOrDefault(method, Map.of()).forEach(request::option);
        return request;
    }

    static List<String> gradientMethods() {
        return DemoRun.GRADIENT_METHODS;
    }

    private Scene duckBesideBulbasaur(long seed) {
        return Scenes.scene(explainer, Scenes.BIASED, seed, SceneGenerator.BULBASAUR, true);
    }

    @Test
    void everyMethodOfTheTableIsRegistered() {
        List<String> registered = explainer.plugins(PluginInfo.Kind.METHOD).stream().map(PluginInfo::name).toList();
        assertTrue(registered.containsAll(METHODS), "registered: " + registered);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void everyMethodGivesANormalisedMapAtInputSize(String method) {
        Scene scene = duckBesideBulbasaur(5);
        Explanation explanation = explainer.explain(request(method)
                .image(ImageInput.of(scene.image())).build());
        ImageExplanation result = explanation.images().get(0);
        float[] cam = result.cam();
        assertEquals(scene.image().width() * scene.image().height(), cam.length);
        float max = 0;
        for (float v : cam) {
            assertTrue(v >= 0 && v <= 1 + 1e-6f, method + " gave " + v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-4f, method + ": the map is normalised to a maximum of 1");
        boolean guided = method.startsWith("guided");
        assertEquals(guided, result.gradient() != null, method + ": gradient image only for guided methods");
        assertEquals(method.equals("dff"), !result.concepts().isEmpty(), method + ": concepts only for dff");
        assertNotNull(explainer.render(explanation, 0, null, java.util.Map.of()), method + ": natural picture");
    }

    @ParameterizedTest
    @MethodSource("gradientMethods")
    void everyGradientMethodFindsTheDuckTheBiasedModelLearnt(String method) {
        int onDuck = 0;
        int count = 10;
        ExplainRequest.Builder request = request(method);
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Scene scene = Scenes.scene(explainer, Scenes.BIASED, 300 + i, i % 2, true);
            scenes.add(scene);
            request.image(ImageInput.of(scene.image()));
        }
        Explanation explanation = explainer.explain(request.build());
        for (int i = 0; i < count; i++) {
            ImageExplanation result = explanation.images().get(i);
            if (Scenes.peakOn(result.cam(), result.width(), scenes.get(i)) == StoryTally.Peak.DUCK) {
                onDuck++;
            }
        }
        assertTrue(onDuck >= 7, method + " peaks on the duck in only " + onDuck + " of " + count + " scenes");
    }

    @ParameterizedTest
    @MethodSource("batchIndependentMethods")
    void aBatchGivesTheMapsOfSingleImages(String method) {
        List<Scene> scenes = List.of(duckBesideBulbasaur(21), Scenes.scene(explainer, Scenes.BIASED, 22,
                SceneGenerator.CHARMANDER, true));
        ExplainRequest.Builder batch = request(method);
        scenes.forEach(s -> batch.image(ImageInput.of(s.image())));
        Explanation together = explainer.explain(batch.build());
        for (int i = 0; i < scenes.size(); i++) {
            float[] alone = explainer.explain(request(method)
                    .image(ImageInput.of(scenes.get(i).image())).build()).images().get(0).cam();
            assertArrayEquals(alone, together.images().get(i).cam(), 2e-4f, method + " image " + i);
        }
    }

    @Test
    void fastScoreCamFollowsExactScoreCamOnDemoScenes() {
        for (long seed : new long[] {71, 72}) {
            Scene scene = duckBesideBulbasaur(seed);
            float[] exact = explainer.explain(ExplainRequest.builder(Scenes.BIASED).method("scorecam")
                    .option("batch-size", "8").image(ImageInput.of(scene.image())).build()).images().get(0).cam();
            float[] fast = explainer.explain(ExplainRequest.builder(Scenes.BIASED).method("scorecam")
                    .option("batch-size", "8").option("fast", "true").image(ImageInput.of(scene.image())).build())
                    .images().get(0).cam();
            double r = MapProcessing.pearson(exact, fast);
            assertTrue(r >= 0.95, "scene " + seed + ": Faster Score-CAM (32 of 256 channels) vs exact, Pearson r " + r);
        }
    }

    @Test
    void theSameLayerTwiceEqualsOnce() {
        Scene scene = duckBesideBulbasaur(9);
        float[] once = explainer.explain(ExplainRequest.builder(Scenes.BIASED).layer("relu4")
                .image(ImageInput.of(scene.image())).build()).images().get(0).cam();
        Explanation twice = explainer.explain(ExplainRequest.builder(Scenes.BIASED).layer("relu4").layer("relu4")
                .image(ImageInput.of(scene.image())).build());
        assertArrayEquals(once, twice.images().get(0).cam(), 1e-6f);
    }

    @Test
    void severalLayersAverageTheirNormalisedMaps() {
        Scene scene = duckBesideBulbasaur(10);
        Explanation both = explainer.explain(ExplainRequest.builder(Scenes.BIASED).layer("relu3").layer("relu4")
                .image(ImageInput.of(scene.image())).build());
        assertEquals(List.of("relu3", "relu4"), both.layers());
        float[] three = explainer.explain(ExplainRequest.builder(Scenes.BIASED).layer("relu3")
                .image(ImageInput.of(scene.image())).build()).images().get(0).cam();
        float[] four = explainer.explain(ExplainRequest.builder(Scenes.BIASED).layer("relu4")
                .image(ImageInput.of(scene.image())).build()).images().get(0).cam();
        float[] expected = new float[three.length];
        float max = 0;
        for (int p = 0; p < expected.length; p++) {
            expected[p] = (three[p] + four[p]) / 2;
            max = Math.max(max, expected[p]);
        }
        for (int p = 0; p < expected.length; p++) {
            expected[p] /= max + 1e-7f;
        }
        // each single-layer result was renormalised after upsampling moved its maximum slightly off 1, which the
        // two-layer mean does not see: equal up to that rescaling
        float[] combined = both.images().get(0).cam();
        assertArrayEquals(expected, combined, 0.03f);
        double fromThree = 0;
        double fromFour = 0;
        for (int p = 0; p < combined.length; p++) {
            fromThree = Math.max(fromThree, Math.abs(combined[p] - three[p]));
            fromFour = Math.max(fromFour, Math.abs(combined[p] - four[p]));
        }
        assertTrue(fromThree > 0.1 && fromFour > 0.1, "the mean differs from each layer: " + fromThree + ", "
                + fromFour);
    }

    @Test
    void augSmoothRunsSixPassesAndKeepsThePeakOnTheDuck() {
        Scene scene = duckBesideBulbasaur(12);
        AtomicInteger passes = new AtomicInteger();
        ImageExplanation smooth = explainer.explain(ExplainRequest.builder(Scenes.BIASED).augSmooth(true)
                .progress((task, done, total) -> {
                    if (task.contains("aug-smooth")) {
                        assertEquals(6, total);
                        passes.set(done);
                    }
                })
                .image(ImageInput.of(scene.image())).build()).images().get(0);
        float[] plain = explainer.explain(ExplainRequest.builder(Scenes.BIASED)
                .image(ImageInput.of(scene.image())).build()).images().get(0).cam();
        assertEquals(6, passes.get());
        assertFalse(java.util.Arrays.equals(plain, smooth.cam()), "aug-smooth changed nothing");
        assertEquals(StoryTally.Peak.DUCK, Scenes.peakOn(smooth.cam(), smooth.width(), scene));
    }

    @Test
    void eigenSmoothProjectsInsteadOfSumming() {
        Scene scene = duckBesideBulbasaur(13);
        float[] plain = explainer.explain(ExplainRequest.builder(Scenes.BIASED)
                .image(ImageInput.of(scene.image())).build()).images().get(0).cam();
        ImageExplanation smooth = explainer.explain(ExplainRequest.builder(Scenes.BIASED).eigenSmooth(true)
                .image(ImageInput.of(scene.image())).build()).images().get(0);
        assertFalse(java.util.Arrays.equals(plain, smooth.cam()), "eigen-smooth changed nothing");
        assertEquals(StoryTally.Peak.DUCK, Scenes.peakOn(smooth.cam(), smooth.width(), scene));
    }

    @Test
    void scoreCamReportsProgressPerBatchAndHonoursBatchSize() {
        Scene scene = duckBesideBulbasaur(14);
        List<int[]> updates = new ArrayList<>();
        explainer.explain(ExplainRequest.builder(Scenes.BIASED).method("scorecam").option("batch-size", "64")
                .progress((task, done, total) -> updates.add(new int[] {done, total}))
                .image(ImageInput.of(scene.image())).build());
        // relu4 has 256 channels: 4 batches of 64, the last one completing the work
        assertEquals(4, updates.size(), "updates: " + updates.size());
        assertEquals(updates.get(3)[1], updates.get(3)[0]);
    }

    @Test
    void interruptingALongMethodCancelsItAndTheRuntimeKeepsServing() {
        Scene scene = duckBesideBulbasaur(15);
        CamException e = assertThrows(CamException.class, () -> explainer.explain(ExplainRequest
                .builder(Scenes.BIASED).method("ablationcam").option("batch-size", "8")
                .progress((task, done, total) -> Thread.currentThread().interrupt())
                .image(ImageInput.of(scene.image())).build()));
        boolean interrupted = Thread.interrupted(); // clears the flag for the next test
        assertTrue(interrupted, "the interrupt flag stays set for callers");
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertEquals(1, explainer.explain(ExplainRequest.builder(Scenes.BIASED).method("ablationcam")
                .image(ImageInput.of(scene.image())).build()).images().size());
    }

    @Test
    void anUnknownMethodOptionListsTheMethodsOptions() {
        Scene scene = duckBesideBulbasaur(16);
        CamException e = assertThrows(CamException.class, () -> explainer.explain(ExplainRequest
                .builder(Scenes.BIASED).method("scorecam").option("batchsize", "8")
                .image(ImageInput.of(scene.image())).build()));
        assertTrue(e.getMessage().contains("batchsize") && e.getMessage().contains("batch-size"), e.getMessage());
    }

    @Test
    void camCompareDrawsTheOriginalAndEveryMethodInOneGrid(CamkitRuntime runtime) throws Exception {
        Path image = Scenes.png(duckBesideBulbasaur(17), dir.resolve("scene.png"));
        Path grid = dir.resolve("grid.png");
        CommandResult result = runtime.execute("cam:compare --model " + Scenes.BIASED + " --image " + image
                + " --methods guidedbackprop,gradcam,guidedgradcam,occlusion,hirescam --out " + grid);
        assertNull(result.exception(), () -> "cam:compare failed: " + result.exception());
        BufferedImage picture = ImageIO.read(grid.toFile());
        int size = Scenes.inputSize(explainer, Scenes.BIASED);
        // one row: the original and five methods, each at least the model's input size
        assertTrue(picture.getWidth() >= 6 * size, "grid width " + picture.getWidth());
        assertTrue(picture.getHeight() > size, "grid height " + picture.getHeight() + " leaves no room for titles");
        for (String method : List.of("guidedbackprop", "gradcam", "guidedgradcam", "occlusion", "hirescam")) {
            assertTrue(result.text().contains(method), result.text());
        }
    }
}
