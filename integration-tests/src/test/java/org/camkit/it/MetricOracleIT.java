package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.api.Evaluation;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.MetricSpec;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * camkit's metrics against pytorch-grad-cam's on the same maps, images, model and target
 * ({@code fixtures/torchscript/reference/metrics}, written by {@code tools/camkit-export/metric_references.py} with
 * pytorch-grad-cam as the oracle, and a small torch reference for RISE's deletion and insertion).
 */
@ExtendWith(FelixRuntime.class)
class MetricOracleIT {

    private static final Path REFERENCE = TorchScriptIT.FIXTURES.resolve("reference/metrics");
    private static final String MODEL = TorchScriptIT.FIXTURES.resolve("resnet.pt").toString();

    private final Explainer explainer = FelixRuntime.explainer();
    private final Evaluator evaluator = FelixRuntime.service(Evaluator.class);

    /** One reference case: an image, a map and every metric pytorch-grad-cam computed on them. */
    private record Case(int image, int map, String kind, int target, JsonObject values) {
    }

    private static List<Case> cases() throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(REFERENCE.resolve("metrics.json")))
                .getAsJsonObject();
        List<Case> cases = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            cases.add(new Case(c.get("image").getAsInt(), c.get("map").getAsInt(), c.get("kind").getAsString(),
                    c.get("class").getAsInt(), c));
        }
        assertEquals(9, cases.size(), "the reference's cases");
        return cases;
    }

    /** Scores one case's map with camkit: the request explains the case's image with the target given. */
    private Evaluation score(Case c, String target, List<MetricSpec> metrics) throws Exception {
        ExplainRequest request = new ExplainRequest(MODEL,
                List.of(new ImageInput.File(REFERENCE.resolve("image" + c.image() + ".png"))), "gradcam",
                List.of("layer3"), target);
        Explanation real = explainer.explain(request);
        Tensor maps = Npy.read(REFERENCE.resolve("maps.npy"));
        int plane = maps.dim(1) * maps.dim(2);
        float[] map = new float[plane];
        maps.copyTo(c.map() * plane, map, 0, plane);
        ImageExplanation i = real.images().get(0);
        Explanation given = new Explanation(real.model(), real.backend(), real.method(), real.layers(),
                real.labels(), List.of(new ImageExplanation(i.source(), i.image(), map, i.output(), i.predicted(),
                        i.predictedLabel(), i.target(), i.targetScore(), i.targetClass(), null, List.of())),
                real.timings());
        return evaluator.score(request, given, metrics, List.of());
    }

    private static double value(Evaluation e, String metric) {
        return e.scores().stream().filter(s -> s.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " in " + e.scores())).value();
    }

    private static double ref(JsonObject o, String path) {
        JsonElement e = o;
        for (String key : path.split("\\.")) {
            e = e.getAsJsonObject().get(key);
        }
        return e.getAsDouble();
    }

    @Test
    void confidenceChangeMatchesPytorchGradCamWithin1e4() throws Exception {
        for (Case c : cases()) {
            for (String kind : List.of("softmax", "logit")) {
                String target = (kind.equals("softmax") ? "softmax:" : "class:") + c.target();
                Evaluation e = score(c, target, List.of(MetricSpec.of("confidence")));
                String where = c.kind() + " on image " + c.image() + ", " + target;
                assertEquals(ref(c.values(), "confidence." + kind + ".change"), value(e, "confidence/change"), 1e-4,
                        where);
                assertEquals(ref(c.values(), "confidence." + kind + ".drop"), value(e, "confidence/drop"), 1e-4,
                        where);
                assertEquals(ref(c.values(), "confidence." + kind + ".increase"), value(e, "confidence/increase"),
                        0, where);
            }
        }
    }

    @Test
    void roadWithoutNoiseMatchesPytorchGradCamWithin1e3AndWithNoiseWithin005() throws Exception {
        for (Case c : cases()) {
            String where = c.kind() + " on image " + c.image();
            Evaluation exact = score(c, "softmax:" + c.target(),
                    List.of(new MetricSpec("road", Map.of("noise", "0"))));
            assertEquals(ref(c.values(), "road.combined"), value(exact, "road"), 1e-3, where);
            assertEquals(ref(c.values(), "road.morf_avg"), value(exact, "road/morf"), 1e-3, where);
            assertEquals(ref(c.values(), "road.lerf_avg"), value(exact, "road/lerf"), 1e-3, where);
            Evaluation noisy = score(c, "softmax:" + c.target(), List.of(MetricSpec.of("road")));
            assertEquals(ref(c.values(), "road.combined_default_noise"), value(noisy, "road"), 0.05, where);
        }
    }

    @Test
    void arccMatchesPytorchGradCamsHarmonicMean() throws Exception {
        for (Case c : cases()) {
            String where = c.kind() + " on image " + c.image();
            Evaluation e = score(c, "softmax:" + c.target(), List.of(new MetricSpec("arcc", Map.of("noise", "0"))));
            assertEquals(ref(c.values(), "arcc.noise0.complexity"), value(e, "arcc/complexity"), 1e-6, where);
            assertEquals(ref(c.values(), "arcc.noise0.coherency"), value(e, "arcc/coherency"), 1e-3, where);
            assertEquals(ref(c.values(), "arcc.noise0.road"), value(e, "arcc/road"), 2e-3, where);
            assertEquals(ref(c.values(), "arcc.noise0.arcc"), value(e, "arcc"), 2e-3, where);
        }
    }

    @Test
    void deletionAndInsertionMatchTheTorchReferenceCurves() throws Exception {
        for (Case c : cases()) {
            String where = c.kind() + " on image " + c.image();
            Evaluation e = score(c, "softmax:" + c.target(), List.of(new MetricSpec("deletion", Map.of("steps", "16")),
                    new MetricSpec("insertion", Map.of("steps", "16"))));
            for (String name : List.of("deletion", "insertion")) {
                assertEquals(ref(c.values(), name + ".auc"), value(e, name), 1e-4, where + ", " + name);
                JsonArray curve = c.values().getAsJsonObject(name).getAsJsonArray("curve");
                double[] y = e.curves().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().y();
                assertEquals(curve.size(), y.length);
                for (int k = 0; k < y.length; k++) {
                    assertEquals(curve.get(k).getAsDouble(), y[k], 1e-4, where + ", " + name + " step " + k);
                }
            }
        }
    }
}
