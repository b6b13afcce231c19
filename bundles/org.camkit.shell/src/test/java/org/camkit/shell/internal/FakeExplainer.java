package org.camkit.shell.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.Detection;
import org.camkit.api.Concept;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;

// An Explainer that returns a fixed explanation and records what it was asked.
final class FakeExplainer implements Explainer {
    static final float[] CAM = {0f, 0.1f, 0.2f, 0.3f, 0.4f, 1f};
    /** The map every explanation carries. */
    float[] cam = CAM;
    ExplainRequest request;
    List<String> methods;
    int columns = -1;
    String visualizer = "not called";
    Map<String, String> renderOptions;
    CamException failure;
    float[] gradient;
    List<Concept> concepts = List.of();
    /** Progress updates reported through the request's listener while explaining: {done, total} each. */
    List<int[]> progress = List.of();
    boolean cancel;
    /** File names of images that fail to read, as a corrupt file does. */
    Set<String> corrupt = Set.of();
    /** The number of images of each explain request, in order. */
    final List<Integer> batches = new ArrayList<>();

    @Override
    public Explanation explain(ExplainRequest request) {
        this.request = request;
        batches.add(request.images().size());
        for (var input : request.images()) {
            if (input instanceof ImageInput.File f
                    && corrupt.contains(f.path().getFileName().toString())) {
                throw new CamException("image " + f.path() + " is not a PNG or JPEG file");
            }
        }
        run(request);
        return explanation(request, request.method());
    }

    @Override
    public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
        this.visualizer = visualizer;
        this.renderOptions = options;
        return explanation.images().get(image).image();
    }

    @Override
    public Comparison compare(ExplainRequest request, List<String> methods, int columns) {
        this.request = request;
        this.methods = methods;
        this.columns = columns;
        run(request);
        List<Comparison.Entry> entries = new ArrayList<>();
        for (String method : methods.isEmpty() ? List.of("gradcam", "fullgrad") : methods) {
            entries.add(method.equals("fullgrad")
                    ? new Comparison.Entry(method, null, "method 'fullgrad' needs bias gradients",
                            Duration.ofMillis(2))
                    : new Comparison.Entry(method, explanation(request, method), null, Duration.ofMillis(120)));
        }
        return new Comparison(entries, new RgbImage(4, 3, new byte[4 * 3 * 3]));
    }

    @Override
    public List<org.camkit.api.Prediction> predict(ExplainRequest request) {
        throw new UnsupportedOperationException("the shell fake predicts nothing");
    }

    @Override
    public List<List<Detection>> detect(ExplainRequest request) {
        throw new CamException("model '" + request.model() + "' is not a detector");
    }

    @Override
    public List<PluginInfo> plugins(PluginInfo.Kind kind) {
        return switch (kind) {
            case BACKEND -> List.of(new PluginInfo(kind, "pytorch", "org.camkit.backend.djl", List.of()));
            case METHOD -> List.of(new PluginInfo(kind, "scorecam", "org.camkit.method.perturbation",
                    List.of("ACTIVATIONS", "option batch-size")));
            default -> List.of();
        };
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(new ModelInfo("pokemon", "pytorch", Path.of("models/pokemon.json"), 3, 2,
                List.of("bulbasaur", "charmander", "squirtle"), "features.7"));
    }

    @Override
    public List<String> layers(String model) {
        return List.of("features.6", "features.7", "classifier");
    }

    @Override
    public List<String> capabilities(String model) {
        return List.of("ACTIVATIONS", "GRADIENTS");
    }

    private void run(ExplainRequest request) {
        if (failure != null) {
            throw failure;
        }
        for (int[] update : progress) {
            request.progress().update("scorecam features.7", update[0], update[1]);
        }
        if (cancel) {
            Thread.currentThread().interrupt();
            throw new CamException(CamException.Kind.CANCELLED, "cancelled: scorecam features.7 was interrupted",
                    null, List.of());
        }
    }

    private Explanation explanation(ExplainRequest request, String method) {
        List<ImageExplanation> images = new ArrayList<>();
        for (var input : request.images()) {
            images.add(new ImageExplanation(input.label(), image(), cam, new float[] {0.5f, 2f, -1f}, 1,
                    "charmander", "class 1 (charmander)", 2f, 1, gradient, concepts));
        }
        Map<String, Duration> timings = new LinkedHashMap<>();
        timings.put("forward", Duration.ofMillis(12).plusNanos(500_000));
        timings.put("cam", Duration.ofMillis(3));
        return new Explanation(request.model(), "pytorch", method, List.of("features.7"),
                List.of("bulbasaur", "charmander", "squirtle"), images, timings);
    }

    private static RgbImage image() {
        byte[] rgb = new byte[3 * 2 * 3];
        rgb[0] = 10;
        rgb[1] = 20;
        rgb[2] = 30;
        return new RgbImage(3, 2, rgb);
    }
}
