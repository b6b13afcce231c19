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
import java.util.Set;
import java.util.stream.Collectors;
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
 * cam:tfbench's run against a recording Explainer whose Grad-CAM answers come from the TensorFlow model (the demo CNN
 * at 32x32, or the Keras residual network fixture at 224x224): the raw engine computes the same network, the explain
 * calls use descriptor copies at the benchmark's size in alternating order, and ScoreCAM's batches are its progress
 * callbacks.
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

    /**
     * Explains nothing: Grad-CAM returns the TF model's logits, ScoreCAM reports one progress step per batch of the
     * layer's channels.
     */
    private static final class RecordingExplainer implements Explainer {
        final List<ExplainRequest> requests = new ArrayList<>();
        private final LoadedModel model;
        private final BenchModel preprocessing;
        private final int size;
        private final int channels;

        /** The demo CNN at 32x32, layer relu4 (256 channels), preprocessed as demo-biased-tensorflow. */
        RecordingExplainer() {
            this(tensorflow, null, SIZE, 256);
        }

        RecordingExplainer(LoadedModel model, BenchModel preprocessing, int size, int channels) {
            this.model = model;
            this.preprocessing = preprocessing;
            this.size = size;
            this.channels = channels;
        }

        @Override
        public Explanation explain(ExplainRequest request) {
            requests.add(request);
            RgbImage image = ((ImageInput.Pixels) request.images().get(0)).image();
            float[] logits;
            try (ForwardPass pass = model.forward(Layout.nhwcToNchw(Tensor.copyOf(TfBench.preprocess(image,
                    preprocessing != null ? preprocessing
                            : demo("demo-biased-tensorflow")), new int[] {1, size, size, 3})), List.of())) {
                logits = pass.output().toArray();
            }
            if (request.method().equals("scorecam")) {
                int batch = Integer.parseInt(request.options().get("batch-size"));
                int batches = (channels + batch - 1) / batch;
                for (int i = 1; i <= batches; i++) {
                    request.progress().update("scorecam", i, batches);
                }
            }
            int predicted = argmax(logits);
            List<String> labels = model.descriptor().labels();
            ImageExplanation result = new ImageExplanation("<pixels>", image, new float[size * size], logits,
                    predicted, labels.get(predicted), "class:" + predicted, logits[predicted], predicted,
                    null, List.of());
            return new Explanation(request.model(), "fake", request.method(), request.layers(), labels,
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

        @Override
        public List<String> capabilities(String model) {
            return List.of("ACTIVATIONS", "GRADIENTS");
        }
    }

    private static ModelInfo info(String name, String backend) {
        return new ModelInfo(name, backend, MODELS.resolve(name + ".json"), 112, 112, Fixtures.LABELS, "relu4");
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            best = values[k] > values[best] ? k : best;
        }
        return best;
    }

    private static BenchModel demo(String name) {
        return BenchModel.find(new RecordingExplainer(), name, name.endsWith("tensorflow") ? "tensorflow" : "pytorch");
    }

    @Test
    void reportsMediansRatiosAndScoreCamBatchesFromInterleavedRuns(@TempDir Path work) throws Exception {
        RecordingExplainer explainer = new RecordingExplainer();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String report = new TfBench(explainer, new PrintStream(console, true, StandardCharsets.UTF_8), work)
                .run(TfBench.Network.DEMOCNN, "demo-biased-tensorflow", "demo-biased",
                        new TfBench.Settings(SIZE, 4, 1, "", 16, 2));
        LoggerFactory.getLogger(TfBenchTest.class).info("cam:tfbench report with a recording Explainer:\n{}", report);

        assertTrue(report.startsWith("cam:tfbench --network democnn: demo-biased-tensorflow (tensorflow) vs demo-biased (pytorch) at "
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
        Tensor input = Layout.nhwcToNchw(Tensor.copyOf(nhwc, new int[] {1, SIZE, SIZE, 3}));
        try (RawGradient raw = RawGradient.load(Fixtures.demoWeights(), SIZE, "relu4");
                ForwardPass pass = tensorflow.forward(input, List.of("relu4"))) {
            RawGradient.Run run = raw.run(nhwc);
            float[] logits = pass.output().toArray();
            assertTrue(Fixtures.relative(pass.output(), Tensor.copyOf(run.logits(), new int[] {1, 2})) < 1e-6);
            int top = logits[1] > logits[0] ? 1 : 0;
            assertEquals(top, run.predicted());
            assertEquals(256, run.channels());
            float[] seed = new float[2];
            seed[top] = 1;
            double expected = 0;
            for (float g : pass.gradients(Tensor.copyOf(seed, new int[] {1, 2})).get("relu4").toArray()) {
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
                () -> bench.run(TfBench.Network.DEMOCNN, "demo-biased", "demo-biased", settings));
        assertTrue(backend.getMessage().contains("backend 'pytorch'"), backend.getMessage());
        CamException unknown = assertThrows(CamException.class,
                () -> bench.run(TfBench.Network.DEMOCNN, "nothing", "demo-biased", settings));
        assertTrue(unknown.getMessage().contains("demo-biased-tensorflow"), unknown.getMessage());
        assertThrows(CamException.class, () -> new TfBench.Settings(SIZE, 0, 0, "", 16, 0));
        CamException architecture = assertThrows(CamException.class,
                () -> bench.run(TfBench.Network.RESNET, "demo-biased-tensorflow", "demo-biased", settings));
        assertTrue(architecture.getMessage().contains("architecture 'keras'"), architecture.getMessage());
        Path absent = work.resolve("fixtures/tensorflow/resnet224.json");
        CamException missing = assertThrows(CamException.class,
                () -> bench.run(TfBench.Network.RESNET, absent.toString(), "demo-biased", settings));
        assertTrue(missing.getMessage().contains(absent + " does not exist")
                && missing.getMessage().contains("working directory"), missing.getMessage());
        assertThrows(CamException.class, () -> TfBench.Network.parse("vgg"));
        assertEquals(TfBench.Network.RESNET, TfBench.Network.parse("resnet"));
    }

    /** The Keras residual network at 224x224 (fixtures/tensorflow/resnet224) and its TorchScript twin. */
    private static final int RESNET_SIZE = 224;

    private static Path resnetTf() {
        return KerasFixtures.root().resolve("tensorflow/resnet224.json");
    }

    @Test
    void theResidualNetworkRunsAtItsOwnSizeAndThePyTorchTwinThroughACopy(@TempDir Path work) throws Exception {
        Path tfJson = resnetTf();
        Path ptJson = KerasFixtures.root().resolve("torchscript/resnet.json");
        try (LoadedModel resnet = new TfBackend().load(KerasFixtures.descriptor("tensorflow", "resnet224"))) {
            RecordingExplainer explainer = new RecordingExplainer(resnet, BenchModel.find(new RecordingExplainer(),
                    tfJson.toString(), "tensorflow"), RESNET_SIZE, 64);
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            String report = new TfBench(explainer, new PrintStream(console, true, StandardCharsets.UTF_8), work)
                    .run(TfBench.Network.RESNET, tfJson.toString(), ptJson.toString(),
                            new TfBench.Settings(RESNET_SIZE, 2, 1, "", 16, 1));
            LoggerFactory.getLogger(TfBenchTest.class).info("cam:tfbench --network resnet report:\n{}", report);

            assertTrue(report.startsWith("cam:tfbench --network resnet: " + tfJson + " (tensorflow) vs " + ptJson
                    + " (pytorch) at 224x224, batch 1, layer layer3 (64 channels)"), report);
            assertTrue(report.contains("same network: predicted class raw"), report);
            assertTrue(report.contains("converted by tools/camkit-export-tf/fixtures.py"), report);
            assertTrue(report.lines().anyMatch(l -> l.matches("tensorflow\\s+[0-9.]+\\s+4\\s+[0-9.]+")),
                    "ceil(64 / 16) ScoreCAM batches:\n" + report);

            Path ptCopy = work.resolve("resnet-224.json");
            assertEquals(Set.of(tfJson.toString(), ptCopy.toString()), explainer.requests.stream()
                    .map(ExplainRequest::model).collect(Collectors.toSet()),
                    "the TF model is explained as it is (224x224 already), PyTorch through its copy at 224");
            assertTrue(explainer.requests.stream().allMatch(r -> r.layers().equals(List.of("layer3"))));
            JsonObject copy = JsonParser.parseString(Files.readString(ptCopy)).getAsJsonObject();
            assertEquals(RESNET_SIZE, copy.get("inputWidth").getAsInt());
            assertEquals(RESNET_SIZE, copy.get("inputHeight").getAsInt());
            assertEquals(ptJson.getParent().resolve("resnet.pt").toString(), copy.get("file").getAsString());
        }
    }

    @Test
    void theKerasRawEngineRunsTheGradientSignatureSeededWithTheTopClass() {
        ModelDescriptor descriptor = KerasFixtures.descriptor("tensorflow", "resnet224");
        float[] nhwc = TfBench.preprocess(TfBench.syntheticImage(RESNET_SIZE), BenchModel.find(new RecordingExplainer(),
                resnetTf().toString(), "tensorflow"));
        Tensor input = Layout.nhwcToNchw(Tensor.copyOf(nhwc, new int[] {1, RESNET_SIZE, RESNET_SIZE, 3}));
        try (RawGradient raw = RawGradient.keras(descriptor.file(), RESNET_SIZE, "layer3");
                LoadedModel resnet = new TfBackend().load(descriptor);
                ForwardPass pass = resnet.forward(input, List.of("layer3"))) {
            RawGradient.Run run = raw.run(nhwc);
            assertEquals(10, run.logits().length);
            assertTrue(Fixtures.relative(pass.output(), Tensor.copyOf(run.logits(), new int[] {1, 10})) < 1e-6);
            int top = argmax(pass.output().toArray());
            assertEquals(top, run.predicted());
            assertEquals(64, run.channels());
            float[] seed = new float[10];
            seed[top] = 1;
            double expected = 0;
            for (float g : pass.gradients(Tensor.copyOf(seed, new int[] {1, 10})).get("layer3").toArray()) {
                expected += g;
            }
            assertTrue(Math.abs(expected) > 1e-6, "a degenerate gradient would prove nothing");
            assertEquals(expected, run.gradientSum(), 1e-5 * Math.abs(expected));
            assertEquals(run.gradientSum(), raw.run(nhwc).gradientSum(), 0, "the seed stays the top class's");
        }
    }
}
