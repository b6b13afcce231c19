package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunTest {

    private static final int SIZE = 64;
    private static final long SEED = 77;

    @TempDir
    Path out;

    /**
     * Plays both demo models from the scenes' ground truth: "demo-biased" always predicts charmander and its map
     * peaks on the duck; "demo-clean" predicts the truth and its map peaks on the creature.
     */
    private static class StoryExplainer implements Explainer {
        final List<String> models;
        final Map<RgbImage, Scene> scenes = new HashMap<>();
        final List<Integer> batchSizes = new ArrayList<>();

        StoryExplainer(int count, String... models) {
            this.models = List.of(models);
            Recipe.HELD_OUT.scenes(count, SEED, new SceneGenerator(SIZE)).forEach(s -> scenes.put(s.image(), s));
        }

        @Override
        public Explanation explain(ExplainRequest request) {
            if (request.method().equals("broken")) {
                throw new CamException("method 'broken' is not registered");
            }
            batchSizes.add(request.images().size());
            List<ImageExplanation> results = new ArrayList<>();
            for (ImageInput input : request.images()) {
                Scene scene = scenes.get(((ImageInput.Pixels) input).image());
                boolean biased = request.model().equals(DemoRun.BIASED);
                Box hot = biased ? scene.duck().orElseThrow() : scene.creature();
                float[] cam = new float[SIZE * SIZE];
                cam[(hot.y() + hot.height() / 2) * SIZE + hot.x() + hot.width() / 2] = 1f;
                int predicted = biased ? SceneGenerator.CHARMANDER : scene.label();
                results.add(new ImageExplanation(input.label(), scene.image(), cam, new float[] {1f, 0f}, predicted,
                        SceneGenerator.LABELS.get(predicted), "class", 1f, predicted, null, List.of()));
            }
            return new Explanation(request.model(), "fake", request.method(), List.of("relu4"),
                    SceneGenerator.LABELS, results, Map.of());
        }

        @Override
        public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
            assertEquals("overlay", visualizer);
            return explanation.images().get(image).image();
        }

        @Override
        public Comparison compare(ExplainRequest request, List<String> methods, int columns) {
            throw new UnsupportedOperationException("the demo does not compare");
        }

        @Override
        public List<PluginInfo> plugins(PluginInfo.Kind kind) {
            return List.of();
        }

        @Override
        public List<ModelInfo> models() {
            return models.stream().map(m -> new ModelInfo(m, "fake", Path.of(m + ".json"), SIZE, SIZE,
                    SceneGenerator.LABELS, "relu4")).toList();
        }

        @Override
        public List<String> layers(String model) {
            return List.of("relu4");
        }

        @Override
        public List<String> capabilities(String model) {
            return List.of("ACTIVATIONS", "GRADIENTS");
        }
    }

    @Test
    void reportsTheStoryAndWritesOverlaysAndSummary() throws IOException {
        StoryExplainer explainer = new StoryExplainer(20, DemoRun.BIASED, DemoRun.CLEAN);
        List<String> progress = new ArrayList<>();
        DemoReport report = new DemoRun(explainer, progress::add)
                .run(new DemoRun.Options(20, out, SEED, 8, 3, 4, List.of(), "pytorch"));

        assertTrue(report.passed());
        StoryTally.Figures biased = report.results().get(0).figures();
        assertEquals(1.0, biased.duckPeak(), 1e-9);
        assertEquals(0.5, biased.accuracy(), 1e-9);
        assertEquals(0.0, biased.accuracyClass1(), 1e-9);
        assertEquals(1.0, report.results().get(1).figures().creaturePeak(), 1e-9);
        assertEquals(List.of(8, 8, 4, 8, 8, 4), explainer.batchSizes);
        assertEquals(6, progress.size());
        assertTrue(progress.get(5).contains("20/20"), progress.get(5));

        String text = report.toString();
        assertTrue(text.contains("[PASS] demo-biased looks at the duck"), text);
        assertTrue(text.contains("[PASS] demo-clean looks at the creature"), text);
        assertTrue(text.contains("100% of the bulbasaurs with a duck 'charmander'"), text);
        assertTrue(text.contains(out.resolve("summary.png").toAbsolutePath().toString()), text);

        BufferedImage summary = ImageIO.read(out.resolve("summary.png").toFile());
        assertEquals(18 + 3 * (SummaryPicture.CELL + 18), summary.getWidth());
        try (Stream<Path> files = Files.list(out.resolve(DemoRun.BIASED))) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".png")).count());
        }
    }

    @Test
    void reportsEachMethodsDuckShareOnTheBiasedModelAndNamesFailures() {
        StoryExplainer explainer = new StoryExplainer(10, DemoRun.BIASED, DemoRun.CLEAN) {
            @Override
            public Explanation explain(ExplainRequest request) {
                // "layercam" looks at the creature, the others at the duck
                return request.method().equals("layercam")
                        ? super.explain(new ExplainRequest(DemoRun.CLEAN, request.images(), "gradcam", List.of(), ""))
                        : super.explain(request);
            }
        };
        DemoReport report = new DemoRun(explainer, line -> { })
                .run(new DemoRun.Options(10, out, SEED, 4, 0, 2, List.of("hirescam", "layercam", "broken"), "pytorch"));
        assertEquals(List.of("hirescam", "layercam", "broken"),
                report.methods().stream().map(DemoRun.MethodShare::method).toList());
        assertEquals(1.0, report.methods().get(0).share(), 1e-9);
        assertEquals(0.0, report.methods().get(1).share(), 1e-9);
        assertTrue(report.methods().get(2).error().contains("not registered"));
        String text = report.toString();
        assertTrue(text.contains("hirescam") && text.contains("100%"), text);
        assertTrue(text.contains("broken") && text.contains("failed: method 'broken' is not registered"), text);
    }

    @Test
    void anotherBackendRunsItsOwnCopiesOfTheDemoModels() {
        String biased = DemoRun.modelName("tensorflow", true);
        String clean = DemoRun.modelName("tensorflow", false);
        assertEquals("demo-biased-tensorflow", biased);
        assertEquals("demo-clean-tensorflow", clean);
        StoryExplainer explainer = new StoryExplainer(6, biased, clean) {
            @Override
            public Explanation explain(ExplainRequest request) {
                // the story explainer knows the models by their pytorch names
                String model = request.model().equals(biased) ? DemoRun.BIASED : DemoRun.CLEAN;
                return super.explain(new ExplainRequest(model, request.images(), request.method(), List.of(), ""));
            }
        };
        DemoReport report = new DemoRun(explainer, line -> { })
                .run(new DemoRun.Options(6, out, SEED, 3, 0, 2, List.of(), "tensorflow"));
        assertEquals(List.of(biased, clean), report.results().stream().map(DemoRun.ModelResult::model).toList());
        assertTrue(report.passed());
        assertTrue(report.toString().contains("backend tensorflow"), report.toString());
    }

    @Test
    void failsTheStoryWhenTheMapsLookElsewhere() {
        StoryExplainer explainer = new StoryExplainer(10, DemoRun.BIASED, DemoRun.CLEAN) {
            @Override
            public Explanation explain(ExplainRequest request) {
                // both models look at the creature: the biased one no longer tells the story
                return super.explain(ExplainRequest.builder(DemoRun.CLEAN).image(request.images().get(0)).build());
            }
        };
        DemoReport report = new DemoRun(explainer, line -> { })
                .run(new DemoRun.Options(10, out, SEED, 1, 0, 2, List.of(), "pytorch"));
        assertFalse(report.results().get(0).passed());
        assertTrue(report.results().get(1).passed());
        assertTrue(report.toString().contains("[FAIL] demo-biased"), report.toString());
    }

    @Test
    void namesTheMissingModelAndHowToTrainIt() {
        StoryExplainer explainer = new StoryExplainer(2, DemoRun.BIASED);
        CamException e = assertThrows(CamException.class,
                () -> new DemoRun(explainer, line -> { }).run(new DemoRun.Options(2, out, SEED, 1, 0, 1, List.of(), "pytorch")));
        assertTrue(e.getMessage().contains("'demo-clean'") && e.getMessage().contains("train-demo"), e.getMessage());
    }

    @Test
    void summaryRowsShowBulbasaursWithADuckFirst() {
        List<Scene> scenes = Recipe.HELD_OUT.scenes(10, SEED, new SceneGenerator(SIZE));
        List<Integer> rows = DemoRun.exampleIndices(scenes, 3);
        assertEquals(List.of(1, 3, 0), rows);
    }
}
