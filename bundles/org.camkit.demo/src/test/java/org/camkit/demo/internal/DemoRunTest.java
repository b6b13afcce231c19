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
import org.camkit.api.Detection;
import org.camkit.api.Dataset;
import org.camkit.api.Evaluation;
import org.camkit.api.EvaluationRequest;
import org.camkit.api.Evaluator;
import org.camkit.api.GroundTruth;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.MetricSpec;
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

    /** The evaluator of runs without the faithfulness section: any call is a bug. */
    private static final Evaluator NO_EVALUATION = new RecordingEvaluator(Map.of());

    /**
     * Answers an evaluation with fixed means per method (pointing duck, pointing creature, energy duck, energy
     * creature, deletion, road), after reporting every image to the request's progress listener; records the
     * request.
     */
    private static class RecordingEvaluator implements Evaluator {
        final Map<String, double[]> means;
        final List<EvaluationRequest> requests = new ArrayList<>();

        RecordingEvaluator(Map<String, double[]> means) {
            this.means = means;
        }

        @Override
        public Evaluation evaluate(EvaluationRequest request) {
            if (means.isEmpty()) {
                throw new AssertionError("no evaluation expected");
            }
            requests.add(request);
            int n = request.explain().images().size();
            for (int i = 0; i < n; i++) {
                request.explain().progress().update("gradcam relu4", 1, 1);
                request.explain().progress().update(Evaluator.PROGRESS, i + 1, n);
            }
            List<Evaluation.Summary> summary = new ArrayList<>();
            for (String method : request.methods()) {
                for (int m = 0; m < request.metrics().size(); m++) {
                    summary.add(new Evaluation.Summary(method, request.metrics().get(m).column(),
                            means.get(method)[m], Double.NaN, Double.NaN, n));
                }
                summary.add(new Evaluation.Summary(method, "road/morf", 0.5, Double.NaN, Double.NaN, n));
            }
            return new Evaluation(request.explain().model(), "class", List.of(), summary, List.of(), List.of(),
                    List.of());
        }

        @Override
        public Evaluation score(ExplainRequest request, Explanation explanation, List<MetricSpec> metrics,
                List<GroundTruth> truth) {
            throw new UnsupportedOperationException("the demo scores through evaluate");
        }

        @Override
        public Dataset dataset(List<Path> images, Path annotations, Path masks) {
            throw new UnsupportedOperationException("the demo makes its own scenes");
        }

        @Override
        public org.camkit.api.SanityCheck sanity(ExplainRequest request, List<String> methods, long seed) {
            throw new UnsupportedOperationException("the demo runs no sanity check");
        }
    }

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
        public List<org.camkit.api.Prediction> predict(ExplainRequest request) {
            throw new UnsupportedOperationException("the demo runs predict nothing alone");
        }

        @Override
        public List<List<Detection>> detect(ExplainRequest request) {
            throw new UnsupportedOperationException("the demo's classifiers detect nothing");
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
        DemoReport report = new DemoRun(explainer, NO_EVALUATION, progress::add)
                .run(new DemoRun.Options(20, out, SEED, 8, 3, 4, List.of(), "pytorch", 0));

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
        DemoReport report = new DemoRun(explainer, NO_EVALUATION, line -> { })
                .run(new DemoRun.Options(10, out, SEED, 4, 0, 2, List.of("hirescam", "layercam", "broken"), "pytorch",
                        0));
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
        DemoReport report = new DemoRun(explainer, NO_EVALUATION, line -> { })
                .run(new DemoRun.Options(6, out, SEED, 3, 0, 2, List.of(), "tensorflow", 0));
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
        DemoReport report = new DemoRun(explainer, NO_EVALUATION, line -> { })
                .run(new DemoRun.Options(10, out, SEED, 1, 0, 2, List.of(), "pytorch", 0));
        assertFalse(report.results().get(0).passed());
        assertTrue(report.results().get(1).passed());
        assertTrue(report.toString().contains("[FAIL] demo-biased"), report.toString());
    }

    @Test
    void namesTheMissingModelAndHowToTrainIt() {
        StoryExplainer explainer = new StoryExplainer(2, DemoRun.BIASED);
        CamException e = assertThrows(CamException.class,
                () -> new DemoRun(explainer, NO_EVALUATION, line -> { })
                        .run(new DemoRun.Options(2, out, SEED, 1, 0, 1, List.of(), "pytorch", 0)));
        assertTrue(e.getMessage().contains("'demo-clean'") && e.getMessage().contains("train-demo"), e.getMessage());
    }

    @Test
    void scoresTheBiasedModelsMapsAgainstRandomcamInOneEvaluationOfScenesWithADuck() {
        StoryExplainer explainer = new StoryExplainer(40, DemoRun.BIASED, DemoRun.CLEAN);
        RecordingEvaluator evaluator = new RecordingEvaluator(Map.of(
                "hirescam", new double[] {1, 0, 0.6, 0.2, 0.1, 0.3},
                "layercam", new double[] {0.5, 0.5, 0.3, 0.4, 0.3, 0.1},
                Faithfulness.FLOOR, new double[] {0.1, 0.4, 0.05, 0.3, 0.25, 0.0}));
        List<String> progress = new ArrayList<>();
        DemoReport report = new DemoRun(explainer, evaluator, progress::add).run(new DemoRun.Options(4, out, SEED,
                4, 0, 2, List.of("hirescam", "broken", "layercam", Faithfulness.FLOOR), "pytorch", 8));

        assertEquals(1, evaluator.requests.size());
        EvaluationRequest request = evaluator.requests.get(0);
        assertEquals(DemoRun.BIASED, request.explain().model());
        assertEquals(List.of("hirescam", "layercam", Faithfulness.FLOOR), request.methods());
        assertEquals(Faithfulness.METRICS, request.metrics());
        assertEquals(List.of("pointing-duck", "pointing-creature", "energy-duck", "energy-creature", "deletion",
                "road"), request.metrics().stream().map(MetricSpec::column).toList());
        assertFalse(request.skipBad());
        assertEquals(null, request.out());
        List<Scene> scenes = Faithfulness.scenes(8, SEED, new SceneGenerator(SIZE));
        assertEquals(8, request.explain().images().size());
        for (int i = 0; i < 8; i++) {
            Scene scene = scenes.get(i);
            assertEquals(scene.image(), ((ImageInput.Pixels) request.explain().images().get(i)).image());
            List<GroundTruth.Region> regions = request.truth().get(i).regions();
            assertEquals(List.of(SceneGenerator.LABELS.get(scene.label()), SceneGenerator.DUCK),
                    regions.stream().map(GroundTruth.Region::label).toList());
            Box duck = scene.duck().orElseThrow();
            assertEquals(duck.x(), regions.get(1).x());
            assertEquals(duck.width(), regions.get(1).width());
        }
        assertEquals(4, progress.stream().filter(l -> l.startsWith("How faithful")).count(), progress.toString());

        Faithfulness.Result faithful = report.faithful().orElseThrow();
        assertEquals(8, faithful.images());
        assertEquals(0.6, faithful.rows().get(0).energyDuck(), 1e-12);
        String text = report.toString();
        assertTrue(text.contains("How faithful: demo-biased on 8 held-out scenes with a duck"), text);
        assertTrue(text.contains("broken: not scored, method 'broken' is not registered"), text);
        assertTrue(text.contains("deletion AUC (lower better)") && text.contains("ROAD (higher better)"), text);
        assertTrue(text.contains("[FAIL] 1 of 2 methods does not beat randomcam") && text.contains(
                "layercam (deletion AUC)"), text);
        assertTrue(text.indexOf("How faithful") > text.indexOf("Every method on"), text);
    }

    @Test
    void reportsAFailedEvaluationInOneLineAndKeepsTheRestOfTheReport() {
        StoryExplainer explainer = new StoryExplainer(4, DemoRun.BIASED, DemoRun.CLEAN);
        Evaluator failing = new RecordingEvaluator(Map.of("x", new double[0])) {
            @Override
            public Evaluation evaluate(EvaluationRequest request) {
                throw new CamException("metric 'road' is not registered");
            }
        };
        DemoReport report = new DemoRun(explainer, failing, line -> { })
                .run(new DemoRun.Options(4, out, SEED, 4, 0, 2, List.of("gradcam"), "pytorch", 2));
        String text = report.toString();
        assertTrue(text.contains("[FAIL] the evaluation failed: metric 'road' is not registered"), text);
        assertTrue(text.contains("[PASS] demo-biased looks at the duck"), text);
    }

    @Test
    void faithfulZeroSkipsTheSection() {
        StoryExplainer explainer = new StoryExplainer(4, DemoRun.BIASED, DemoRun.CLEAN);
        DemoReport report = new DemoRun(explainer, NO_EVALUATION, line -> { })
                .run(new DemoRun.Options(4, out, SEED, 4, 0, 2, List.of("gradcam"), "pytorch", 0));
        assertTrue(report.faithful().isEmpty());
        assertFalse(report.toString().contains("How faithful"), report.toString());
    }

    @Test
    void exportWritesTheHeldOutScenesAtTheBiasedModelsSizeWithoutExplaining() {
        StoryExplainer explainer = new StoryExplainer(3, DemoRun.BIASED, DemoRun.CLEAN);
        Path dataset = out.resolve("set");
        DemoRun.Export export = new DemoRun(explainer, NO_EVALUATION, line -> { })
                .export(new DemoRun.Options(3, out, SEED, 4, 0, 2, List.of(), "pytorch", 16), dataset, 0);
        assertTrue(explainer.batchSizes.isEmpty());
        assertEquals(3, export.written().scenes());
        assertEquals(SIZE, export.written().width());
        assertTrue(Files.isRegularFile(dataset.resolve("images/scene-002.png")));
        assertEquals("./camkit cam:evaluate --model demo-biased --images " + dataset.resolve("images")
                + " --annotations " + dataset.resolve("coco.json") + " --methods gradcam,scorecam,randomcam"
                + " --metric-option pointing-game.label=duck --metric-option energy.label=duck"
                + " --metric-option iou.label=duck --out report/", export.evaluateCommand());
        String text = export.toString();
        assertTrue(text.contains("wrote 3 held-out scenes") && text.contains("6 boxes"), text);
        assertTrue(text.contains(export.evaluateCommand()), text);
    }

    @Test
    void exportDrawsTheScenesAtAGivenSize() throws Exception {
        StoryExplainer explainer = new StoryExplainer(2, DemoRun.BIASED, DemoRun.CLEAN);
        DemoRun.Export export = new DemoRun(explainer, NO_EVALUATION, line -> { })
                .export(new DemoRun.Options(2, out, SEED, 4, 0, 2, List.of(), "pytorch", 16), out.resolve("big"),
                        2 * SIZE);
        assertEquals(2 * SIZE, export.written().width());
        assertEquals(2 * SIZE, ImageIO.read(out.resolve("big/images/scene-001.png").toFile()).getHeight());
        CamException small = assertThrows(CamException.class, () -> new DemoRun(explainer, NO_EVALUATION, line -> { })
                .export(new DemoRun.Options(2, out, SEED, 4, 0, 2, List.of(), "pytorch", 16), out.resolve("small"),
                        20));
        assertTrue(small.getMessage().startsWith("--size 20"), small.getMessage());
    }

    @Test
    void summaryRowsShowBulbasaursWithADuckFirst() {
        List<Scene> scenes = Recipe.HELD_OUT.scenes(10, SEED, new SceneGenerator(SIZE));
        List<Integer> rows = DemoRun.exampleIndices(scenes, 3);
        assertEquals(List.of(1, 3, 0), rows);
    }
}
