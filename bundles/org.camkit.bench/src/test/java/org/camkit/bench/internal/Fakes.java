package org.camkit.bench.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.Detection;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelInputs;
import org.camkit.spi.Tensor;

/*
 * A bench without engines: models by name, an Explainer that records its requests and answers with the same logits as
 * the engine baseline (a "network" of 2 classes whose layer has 256 channels; batched methods report one progress
 * step per batch of channels), and baselines that record what they loaded.
 */
final class Fakes {

    static final int CHANNELS = 256;
    static final float[] LOGITS = {0.25f, 1.5f};

    /** Every explain request, in order (cam:bench --http explains from several threads). */
    final List<ExplainRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final List<ModelDescriptor> saved = new ArrayList<>();
    final List<ModelDescriptor> loaded = new ArrayList<>();
    final List<Tensor> inputs = new ArrayList<>();
    /** The engine baseline's batched forward passes, e.g. {@code input 64}. */
    final List<String> forwards = new ArrayList<>();
    final Map<String, ModelDescriptor> models = new LinkedHashMap<>();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Path workDir;

    Fakes(Path workDir) {
        this.workDir = workDir;
        model("demo", "pytorch", 112, 112);
        model("demo-tf", "tensorflow", 112, 112);
    }

    void model(String name, String backend, int width, int height) {
        models.put(name, new ModelDescriptor(name, backend, workDir.resolve(name + ".weights"), "fake", width, height,
                new float[3], new float[] {1, 1, 1}, List.of("a", "b"), "relu4", Map.of()));
    }

    Bench bench() {
        return new Bench(explainer(), inputs(), this::baseline, new PrintStream(console, true, StandardCharsets.UTF_8),
                workDir);
    }

    String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** Models by name; descriptor copies as files holding the name and size. */
    ModelInputs inputs() {
        return new ModelInputs() {
            @Override
            public ModelDescriptor descriptor(String model) {
                ModelDescriptor found = models.get(model);
                if (found == null) {
                    throw new CamException("unknown model '" + model + "'; registered models: " + models.keySet());
                }
                return found;
            }

            @Override
            public Tensor preprocess(ModelDescriptor model, List<RgbImage> images) {
                int h = model.inputHeight();
                int w = model.inputWidth();
                return Tensor.copyOf(new float[images.size() * 3 * h * w], new int[] {images.size(), 3, h, w});
            }

            @Override
            public Path save(ModelDescriptor model, Path file) {
                saved.add(model);
                try {
                    Files.writeString(file, model.name() + " " + model.inputWidth() + "x" + model.inputHeight());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return file;
            }
        };
    }

    EngineBaseline baseline(String backend) {
        return (model, layer, input) -> {
            loaded.add(model);
            inputs.add(input);
            return new EngineBaseline.Network() {
                @Override
                public EngineBaseline.Run run() {
                    return new EngineBaseline.Run(LOGITS, 1, CHANNELS, 1, Map.of("forward", Duration.ofMillis(1),
                            "backward", Duration.ofMillis(2)));
                }

                @Override
                public Tensor forward(int batch, boolean fromLayer) {
                    forwards.add((fromLayer ? "layer " : "input ") + batch);
                    return Tensor.of(new float[batch * LOGITS.length], batch, LOGITS.length);
                }

                @Override
                public void close() {
                }
            };
        };
    }

    static float[] ramp(ExplainRequest request) {
        float[] map = new float[16];
        for (int i = 0; i < 16; i++) {
            map[i] = i + ("true".equals(request.options().get("fast")) && i % 4 == 0 ? 3 : 0);
        }
        return map;
    }

    /**
     * Explains nothing: the baseline's logits, for the batched methods one progress step per batch (scorecam with
     * fast=true: of 32 channels), and a ramp as the map (with fast=true, every fourth value raised by 3).
     */
    Explainer explainer() {
        return new Explainer() {
            @Override
            public Explanation explain(ExplainRequest request) {
                requests.add(request);
                if (request.method().equals("fullgrad")) {
                    throw new CamException("method 'fullgrad' needs BIAS_GRADIENTS\nwhich the fake lacks");
                }
                String batchSize = request.options().get(Bench.BATCH_SIZE);
                if (MethodTable.BATCHED.contains(request.method())) {
                    int batch = batchSize == null ? 32 : Integer.parseInt(batchSize);
                    int channels = "true".equals(request.options().get("fast")) ? 32 : CHANNELS;
                    int batches = (channels + batch - 1) / batch;
                    for (int i = 1; i <= batches; i++) {
                        request.progress().update(request.method(), i, batches);
                    }
                }
                RgbImage image = new RgbImage(4, 4, new byte[48]);
                ImageExplanation result = new ImageExplanation("<pixels>", image, ramp(request), LOGITS, 1, "b",
                        "class:1", LOGITS[1], 1, null, List.of());
                Map<String, Duration> timings = new LinkedHashMap<>();
                timings.put("decode", Duration.ofMillis(1));
                timings.put("forward", Duration.ofMillis(2));
                timings.put("backward", Duration.ofMillis(3));
                timings.put("cam", Duration.ofMillis(1));
                return new Explanation(request.model(), "fake", request.method(), request.layers(), List.of("a", "b"),
                        List.of(result), timings);
            }

            @Override
            public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
                return new RgbImage(4, 4, new byte[48]);
            }

            @Override
            public Comparison compare(ExplainRequest request, List<String> methods, int columns) {
                throw new AssertionError("cam:bench compares nothing");
            }

            @Override
            public List<org.camkit.api.Prediction> predict(ExplainRequest request) {
                throw new UnsupportedOperationException("the bench does not predict alone");
            }

            @Override
            public List<List<Detection>> detect(ExplainRequest request) {
                throw new UnsupportedOperationException("the bench does not detect");
            }

            @Override
            public List<PluginInfo> plugins(PluginInfo.Kind kind) {
                return List.of();
            }

            @Override
            public List<ModelInfo> models() {
                return models.values().stream().map(m -> new ModelInfo(m.name(), m.backend(), workDir.resolve(
                        m.name() + ".json"), m.inputWidth(), m.inputHeight(), m.labels(), m.defaultLayer())).toList();
            }

            @Override
            public List<String> layers(String model) {
                return List.of("relu4");
            }

            @Override
            public List<String> capabilities(String model) {
                return List.of("ACTIVATIONS", "GRADIENTS");
            }
        };
    }
}
