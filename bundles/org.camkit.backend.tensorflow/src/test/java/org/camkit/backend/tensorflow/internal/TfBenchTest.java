package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * cam:tfbench's run against a recording Explainer whose Grad-CAM answers come from the TensorFlow demo model: the raw
 * engine computes the same network, the explain calls use descriptor copies at the benchmark's size in alternating
 * order, and ScoreCAM's batches are its progress callbacks.
 */
class TfBenchTest {

    private static final int SIZE = 32;
    private static final Path MODELS = Fixtures.demoWeights().getParent();
    private static LoadedModel tensorflow;

    @BeforeAll
    static void load() {
        tensorflow = new TfBackend().load(new ModelDescriptor("demo-32", "tensorflow", Fixtures.demoWeights(),
                DemoCnn.ID, SIZE, SIZE, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f},
                Fixtures.LABELS, "relu4", Map.of()));
    }

    @AfterAll
    static void close() {
        tensorflow.close();
    }

    /** Explains nothing: Grad-CAM returns the TF model's logits, ScoreCAM reports one progress step per batch. */
    private static final class RecordingExplainer implements Explainer {
        final List<ExplainRequest> requests = new ArrayList<>();

        @Override
        public Explanation explain(ExplainRequest request) {
            requests.add(request);
            RgbImage image = ((ImageInput.Pixels) request.images().get(0)).image();
            float[] logits;
            try (ForwardPass pass = tensorflow.forward(Layout.nhwcToNchw(new Tensor(new int[] {1, SIZE, SIZE, 3},
                    TfBench.preprocess(image, demo("demo-biased-tensorflow")))), List.of())) {
                logits = pass.output().data();
            }
            if (request.method().equals("scorecam")) {
                int batch = Integer.parseInt(request.options().get("batch-size"));
                int batches = (256 + batch - 1) / batch;
                for (int i = 1; i <= batches; i++) {
                    request.progress().update("scorecam relu4", i, batches);
                }
            }
            int predicted = logits[1] > logits[0] ? 1 : 0;
            ImageExplanation result = new ImageExplanation("<pixels>", image, new float[SIZE * SIZE], logits,
                    predicted, Fixtures.LABELS.get(predicted), "class:" + predicted, logits[predicted], predicted,
                    null, List.of());
            return new Explanation(request.model(), "fake", request.method(), request.layers(), Fixtures.LABELS,
                    List.of(result), Map.of("forward", Duration.ofMillis(2), "cam", Duration.ofMillis(1)));
        }

        @Override
        public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
            throw new UnsupportedOperationException("cam:tfbench renders nothing");
        }

        @Override
        public Comparison compare(ExplainRequest request, List<String> methods, int columns) {
            throw new UnsupportedOperationException("cam:tfbench compares nothing");
        }

        @Override
        public List<PluginInfo> plugins(PluginInfo.Kind kind) {
            return List.of();
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(info("demo-biased", "pytorch"), info("demo-biased-tensorflow", "tensorflow"));
        }

        @Override
        public List<String> layers(String model) {
            return List.of("relu4");
        }
    }

    private static ModelInfo info(String name, String backend) {
        return new ModelInfo(name, backend, MODELS.resolve(name + ".json"), 112, 112, Fixtures.LABELS, "relu4");
    }

    private static BenchModel demo(String name) {
        return BenchModel.find(new RecordingExplainer(), name, name.endsWith("tensorflow") ? "tensorflow" : "pytorch");
    }

    @Test
    void reportsMediansRatiosAndScoreCamBatchesFromInterleavedRuns(@TempDir Path work) throws Exception {
        RecordingExplainer explainer = new RecordingExplainer();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String report = new TfBench(explainer, new PrintStream(console, true, StandardCharsets.UTF_8), work)
                .run("demo-biased-tensorflow", "demo-biased", new TfBench.Settings(SIZE, 4, 1, "", 16, 2));
        LoggerFactory.getLogger(TfBenchTest.class).info("cam:tfbench report with a recording Explainer:\n{}", report);

        assertTrue(report.startsWith("cam:tfbench demo-biased-tensorflow (tensorflow) vs demo-biased (pytorch) at "
                + "32x32, batch 1, layer relu4 (256 channels)"), report);
        assertTrue(report.contains("(both backends)"), report);
        assertTrue(report.contains("same network: predicted class raw"), report);
        for (String measure : List.of(TfBench.RAW, TfBench.EXPLAIN_TF, TfBench.EXPLAIN_PT, "  forward", "  cam",
                "ratio explain TF / raw TF: ", "ratio explain TF / explain PyTorch: ",
                "ratio scorecam batches/s TF / PyTorch: ")) {
            assertTrue(report.contains(measure), measure + " missing from\n" + report);
        }
        assertTrue(report.lines().anyMatch(l -> l.matches("tensorflow\\s+[0-9.]+\\s+16\\s+[0-9.]+")), report);
        assertTrue(report.lines().anyMatch(l -> l.matches("pytorch\\s+[0-9.]+\\s+16\\s+[0-9.]+")), report);

        List<String> gradcam = explainer.requests.stream().filter(r -> r.method().equals("gradcam"))
                .map(ExplainRequest::model).toList();
        assertEquals(10, gradcam.size(), "5 rounds (1 warm-up) of TF and PyTorch");
        Path tfCopy = work.resolve("demo-biased-tensorflow-32.json");
        Path ptCopy = work.resolve("demo-biased-32.json");
        assertTrue(gradcam.subList(0, 2).equals(List.of(ptCopy.toString(), tfCopy.toString()))
                && gradcam.subList(2, 4).equals(List.of(tfCopy.toString(), ptCopy.toString())),
                "the order rotates: " + gradcam);
        List<String> scorecam = explainer.requests.stream().filter(r -> r.method().equals("scorecam"))
                .map(ExplainRequest::model).toList();
        assertEquals(List.of(ptCopy.toString(), tfCopy.toString(), tfCopy.toString(), ptCopy.toString(),
                ptCopy.toString(), tfCopy.toString()), scorecam, "1 warm-up + 2 rounds, alternating");
        assertTrue(explainer.requests.stream().allMatch(r -> r.layers().equals(List.of("relu4"))));

        JsonObject copy = JsonParser.parseString(Files.readString(tfCopy)).getAsJsonObject();
        assertEquals(SIZE, copy.get("inputWidth").getAsInt());
        assertEquals(SIZE, copy.get("inputHeight").getAsInt());
        assertEquals(Fixtures.demoWeights().toString(), copy.get("file").getAsString());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("scorecam round 2/2"), console.toString());
    }

    @Test
    void rawEngineGivesTheTopLogitsGradientOfTheSameNetwork() {
        RgbImage image = TfBench.syntheticImage(SIZE);
        float[] nhwc = TfBench.preprocess(image, demo("demo-biased-tensorflow"));
        Tensor input = Layout.nhwcToNchw(new Tensor(new int[] {1, SIZE, SIZE, 3}, nhwc));
        try (RawGradient raw = RawGradient.load(Fixtures.demoWeights(), SIZE, "relu4");
                ForwardPass pass = tensorflow.forward(input, List.of("relu4"))) {
            RawGradient.Run run = raw.run(nhwc);
            float[] logits = pass.output().data();
            assertTrue(Fixtures.relative(pass.output(), new Tensor(new int[] {1, 2}, run.logits())) < 1e-6);
            int top = logits[1] > logits[0] ? 1 : 0;
            assertEquals(top, run.predicted());
            assertEquals(256, run.channels());
            float[] seed = new float[2];
            seed[top] = 1;
            double expected = 0;
            for (float g : pass.gradients(new Tensor(new int[] {1, 2}, seed)).get("relu4").data()) {
                expected += g;
            }
            assertTrue(Math.abs(expected) > 1e-6, "a degenerate gradient would prove nothing");
            assertEquals(expected, run.gradientSum(), 1e-5 * Math.abs(expected));
        }
    }

    @Test
    void aModelOfAnotherArchitectureOrBackendIsRefused(@TempDir Path work) {
        RecordingExplainer explainer = new RecordingExplainer();
        TfBench bench = new TfBench(explainer, new PrintStream(new ByteArrayOutputStream()), work);
        TfBench.Settings settings = new TfBench.Settings(SIZE, 1, 0, "", 16, 0);
        CamException backend = assertThrows(CamException.class,
                () -> bench.run("demo-biased", "demo-biased", settings));
        assertTrue(backend.getMessage().contains("backend 'pytorch'"), backend.getMessage());
        CamException unknown = assertThrows(CamException.class,
                () -> bench.run("nothing", "demo-biased", settings));
        assertTrue(unknown.getMessage().contains("demo-biased-tensorflow"), unknown.getMessage());
        assertThrows(CamException.class, () -> new TfBench.Settings(SIZE, 0, 0, "", 16, 0));
    }
}
