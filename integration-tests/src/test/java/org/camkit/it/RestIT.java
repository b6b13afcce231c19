package org.camkit.it;

import static org.camkit.it.RestClient.get;
import static org.camkit.it.RestClient.json;
import static org.camkit.it.RestClient.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.camkit.api.Comparison;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.Prediction;
import org.camkit.api.RgbImage;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.testkit.PngBomb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// The REST API over real HTTP on loopback, in the shared runtime (feature rest, port chosen by Jetty), with its default
// configuration; every answer is checked against the Explainer called in the same runtime.
@ExtendWith(FelixRuntime.class)
class RestIT {
    private static byte[] duck;

    @BeforeAll
    static void resourceIsDeployed() throws InterruptedException {
        // the whiteboard adds a resource when its service appears; the ready filter sees the service itself
        FelixRuntime.await(() -> RestClient.status("v1/models") == 200, "GET /v1/models to answer 200");
        duck = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 11, SceneGenerator.BULBASAUR, true).image().png();
    }

    @Test
    void servesOnLoopbackOnly() {
        assertEquals("127.0.0.1", FelixRuntime.restBase().getHost());
    }

    @Test
    void listsTheRegisteredModelsAsTheExplainerSeesThem() throws Exception {
        HttpResponse<String> response = get("v1/models");

        assertEquals(200, response.statusCode(), response.body());
        assertJson(response);
        Map<String, JsonObject> models = new LinkedHashMap<>();
        JsonParser.parseString(response.body()).getAsJsonArray()
                .forEach(m -> models.put(m.getAsJsonObject().get("name").getAsString(), m.getAsJsonObject()));
        assertTrue(models.keySet().containsAll(List.of("demo-biased", "demo-clean", "demo-detector")),
                models.keySet()::toString);
        assertEquals(FelixRuntime.explainer().models().stream().map(ModelInfo::name).toList(),
                List.copyOf(models.keySet()));
        for (ModelInfo expected : FelixRuntime.explainer().models()) {
            assertModel(expected, models.get(expected.name()), MODEL_FIELDS);
        }
        assertTrue(models.get("demo-detector").get("detector").getAsBoolean());
        assertFalse(models.get("demo-biased").get("detector").getAsBoolean());
    }

    @Test
    void describesOneModelWithItsLayersAndCapabilities() throws Exception {
        HttpResponse<String> response = get("v1/models/demo-clean");

        assertEquals(200, response.statusCode(), response.body());
        assertJson(response);
        JsonObject model = json(response);
        List<String> fields = new ArrayList<>(MODEL_FIELDS);
        fields.addAll(List.of("ready", "layers", "capabilities"));
        assertModel(FelixRuntime.explainer().model("demo-clean"), model, fields);
        assertTrue(model.get("ready").getAsBoolean());
        assertEquals(FelixRuntime.explainer().layers("demo-clean"), strings(model.getAsJsonArray("layers")));
        assertEquals(FelixRuntime.explainer().capabilities("demo-clean"),
                strings(model.getAsJsonArray("capabilities")));
    }

    @Test
    void anUnknownModelIs404WithTheRegisteredModelsAsChoices() throws Exception {
        List<String> registered = FelixRuntime.explainer().models().stream().map(ModelInfo::name).toList();
        for (HttpResponse<String> response : List.of(get("v1/models/nope"),
                post("v1/models/nope:explain", duck, null), post("v1/models/nope:predict", duck, null))) {
            assertEquals(404, response.statusCode(), response.body());
            assertJson(response);
            JsonObject error = json(response);
            assertEquals("nope", error.get("culprit").getAsString());
            assertEquals(registered, strings(error.getAsJsonArray("choices")));
            String message = error.get("error").getAsString();
            assertTrue(message.startsWith("unknown model 'nope'"), message);
        }
    }

    @Test
    void aModelIsNamedOnlyByItsRegisteredNameNeverByAPath() throws Exception {
        // the Java API also takes descriptor paths; over HTTP they are unknown names
        for (String path : List.of("..%2Fmodels%2Fdemo-clean.json", "%2Fetc%2Fpasswd", "demo-clean.json")) {
            HttpResponse<String> response = post("v1/models/" + path + ":explain", duck, null);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
            String message = json(response).get("error").getAsString();
            assertTrue(message.startsWith("unknown model '"), path + ": camkit's lookup refused it, not routing: "
                    + message);
        }
    }

    @Test
    void listsThePluginsOfEachKindAsTheExplainerDoes() throws Exception {
        for (PluginInfo.Kind kind : PluginInfo.Kind.values()) {
            String name = kind.name().toLowerCase(java.util.Locale.ROOT) + "s";
            HttpResponse<String> response = get("v1/plugins/" + name);
            assertEquals(200, response.statusCode(), response.body());
            List<String> names = new ArrayList<>();
            JsonParser.parseString(response.body()).getAsJsonArray().forEach(p -> {
                names.add(p.getAsJsonObject().get("name").getAsString());
                assertEquals(Set.of("name", "bundle", "details"), p.getAsJsonObject().keySet());
            });
            assertEquals(FelixRuntime.explainer().plugins(kind).stream().map(PluginInfo::name).toList(), names, name);
        }
        assertTrue(get("v1/plugins/methods").body().contains("\"gradcam\""));
        HttpResponse<String> unknown = get("v1/plugins/widgets");
        assertEquals(404, unknown.statusCode());
        assertEquals(List.of("methods", "backends", "targets", "visualizers", "metrics"),
                strings(json(unknown).getAsJsonArray("choices")));
    }

    @Test
    void predictAnswersWhatTheModelPredicts() throws Exception {
        HttpResponse<String> response = post("v1/models/demo-clean:predict", duck, null);

        assertEquals(200, response.statusCode(), response.body());
        Prediction expected = FelixRuntime.explainer().predict(request("demo-clean").build()).get(0);
        JsonObject prediction = json(response).getAsJsonArray("predictions").get(0).getAsJsonObject();
        assertEquals(expected.predicted(), prediction.get("prediction").getAsInt());
        assertEquals(expected.predictedLabel(), prediction.get("label").getAsString());
        JsonArray top = prediction.getAsJsonArray("top");
        assertEquals(2, top.size(), "both classes of the demo model, best first");
        assertEquals(expected.predicted(), top.get(0).getAsJsonObject().get("index").getAsInt());
        assertEquals(expected.output()[expected.predicted()], top.get(0).getAsJsonObject().get("score").getAsFloat());

        HttpResponse<String> detector = post("v1/models/demo-detector:predict", duck, null);
        assertEquals(200, detector.statusCode(), detector.body());
        JsonArray detections = json(detector).getAsJsonArray("predictions").get(0).getAsJsonObject()
                .getAsJsonArray("detections");
        assertEquals(FelixRuntime.explainer().detect(request("demo-detector").build()).get(0).size(),
                detections.size());
    }

    @Test
    void explainGivesTheMapAndOverlayOfTheExplainer() throws Exception {
        HttpResponse<String> response = post("v1/models/demo-clean:explain", duck,
                "{\"method\": \"gradcam\", \"layer\": \"relu3\", \"target\": \"class:bulbasaur\", "
                        + "\"outputs\": [\"overlay\", \"map\", \"json\"]}");

        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.headers().firstValue("X-Request-Id").orElse("").isEmpty());
        JsonObject body = json(response);
        assertEquals("gradcam", body.get("method").getAsString());
        assertEquals(List.of("relu3"), strings(body.getAsJsonArray("layers")));
        assertTrue(body.getAsJsonObject("timingsMs").has("forward"), body.get("timingsMs")::toString);
        JsonObject image = body.getAsJsonArray("explanations").get(0).getAsJsonObject();

        Explainer explainer = FelixRuntime.explainer();
        Explanation expected = explainer.explain(request("demo-clean").method("gradcam").layer("relu3")
                .target("class:bulbasaur").build());
        ImageExplanation one = expected.images().get(0);
        assertEquals("instances[0]", image.get("source").getAsString());
        assertEquals(one.predictedLabel(), image.get("label").getAsString());
        assertEquals(one.target(), image.get("target").getAsString());
        assertEquals(one.targetScore(), image.get("targetScore").getAsFloat());
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (112, 112), }",
                RestClient.npyHeader(image.get("map").getAsString()));
        assertArrayEquals(one.cam(), RestClient.npy(image.get("map").getAsString(), 112 * 112),
                "the map over HTTP is the Explainer's map");
        int peak = one.peak();
        assertEquals(peak % 112, image.getAsJsonObject("peak").get("x").getAsInt());
        assertEquals(peak / 112, image.getAsJsonObject("peak").get("y").getAsInt());
        assertArrayEquals(explainer.render(expected, 0, null, Map.of()).rgb(),
                RestClient.pixels(image.get("overlay").getAsString()).rgb(), "the overlay is the Explainer's picture");
    }

    @Test
    void aMultipartUploadExplainsAsJsonDoesAndTheMapCanBeAPng() throws Exception {
        HttpResponse<String> response = RestClient.multipart("v1/models/demo-clean:explain", duck,
                "{\"method\": \"eigencam\", \"outputs\": [\"map\"], \"map\": \"png\"}");

        assertEquals(200, response.statusCode(), response.body());
        JsonObject image = json(response).getAsJsonArray("explanations").get(0).getAsJsonObject();
        assertFalse(image.has("overlay"), "only the map was asked for");
        assertEquals("png", image.get("mapFormat").getAsString());
        float[] cam = FelixRuntime.explainer().explain(request("demo-clean").method("eigencam").build()).images()
                .get(0).cam();
        RgbImage grey = RestClient.pixels(image.get("map").getAsString());
        for (int i = 0; i < cam.length; i++) {
            assertEquals(Math.round(cam[i] * 255), grey.rgb()[3 * i] & 0xff, "grey level at " + i);
        }
    }

    @Test
    void compareLaysTheMethodsOutAsTheExplainerDoes() throws Exception {
        // cam needs a linear head, which the detector has not: its tile says why, the others run
        HttpResponse<String> response = post("v1/models/demo-detector:compare", duck,
                "{\"methods\": [\"gradcam\", \"eigencam\", \"cam\"]}");

        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = json(response);
        Comparison expected = FelixRuntime.explainer().compare(request("demo-detector").build(),
                List.of("gradcam", "eigencam", "cam"));
        RgbImage grid = RestClient.pixels(body.get("grid").getAsString());
        assertEquals(expected.grid().width(), grid.width());
        assertEquals(expected.grid().height(), grid.height());
        assertArrayEquals(expected.grid().rgb(), grid.rgb(), "the grid's pixels");
        JsonArray entries = body.getAsJsonArray("entries");
        assertEquals(List.of("gradcam", "eigencam", "cam"), entries.asList().stream()
                .map(e -> e.getAsJsonObject().get("method").getAsString()).toList());
        assertTrue(entries.get(0).getAsJsonObject().get("error").isJsonNull());
        assertTrue(entries.get(1).getAsJsonObject().get("error").isJsonNull());
        assertEquals(expected.entries().get(2).error(), entries.get(2).getAsJsonObject().get("error").getAsString());
    }

    @Test
    void eachKindOfBadRequestHasItsStatusAndNamesTheCulprit() throws Exception {
        assertError(post("v1/models/demo-clean:explain", duck, "{\"method\": \"nope\"}"), 404, "nope", "gradcam");
        assertError(post("v1/models/demo-clean:explain", duck, "{\"target\": \"nosuchtarget:1\"}"), 404,
                "nosuchtarget", "class");
        assertError(post("v1/models/demo-clean:explain", duck, "{\"layer\": \"conv9\"}"), 404, "conv9", "relu4");
        assertError(post("v1/models/demo-detector:explain", duck, "{\"method\": \"cam\"}"), 409, "cam", "gradcam");
        assertError(post("v1/models/demo-clean:explain", duck, "{\"options\": {\"bogus\": 1}}"), 400, "bogus",
                null);
        assertError(post("v1/models/demo-clean:explain", duck, "{\"methd\": \"gradcam\"}"), 400, "methd", "method");
        assertError(post("v1/models/demo-clean:explain", "not an image".getBytes(StandardCharsets.UTF_8), null),
                400, null, null);
        assertError(RestClient.postBody("v1/models/demo-clean:explain", "application/json",
                "{\"instances\": [".getBytes(StandardCharsets.UTF_8)), 400, "the request body", null);
        assertError(RestClient.postBody("v1/models/demo-clean:explain", "application/json",
                "{\"instances\": [{\"path\": \"/etc/passwd\"}]}".getBytes(StandardCharsets.UTF_8)), 400,
                "instances[0]", null);
        HttpResponse<String> notFound = get("v1/nothing-here");
        assertEquals(404, notFound.statusCode());
        assertJson(notFound);
        HttpResponse<String> wrongVerb = get("v1/models/demo-clean:explain");
        assertTrue(wrongVerb.statusCode() == 405 || wrongVerb.statusCode() == 404, wrongVerb::body);
        assertJson(wrongVerb);
    }

    @Test
    void aTargetNamingAServerFileIsRefusedBeforeAnythingReadsIt() throws Exception {
        for (String target : List.of("similarity:/etc/passwd", "similarity:concept.npy",
                "segmentation:1:../models/mask.png")) {
            HttpResponse<String> response = post("v1/models/demo-clean:explain", duck,
                    "{\"target\": \"" + target + "\"}");
            assertError(response, 400, "target", null);
            String message = json(response).get("error").getAsString();
            assertTrue(message.contains("names a file") && !message.contains("no such file"), message);
        }
    }

    @Test
    void aHugeImageIsRefused413FromItsHeaderBeforeDecoding() throws Exception {
        // 30000 x 30000 RGB pixels claimed by the header (2.7 GB decoded); no pixel data follows
        byte[] bomb = PngBomb.header(30000, 30000, 8, 2);

        HttpResponse<String> response = post("v1/models/demo-clean:explain", bomb, null);
        assertError(response, 413, "instances[0]", null);
        assertTrue(json(response).get("error").getAsString().contains("30000x30000"), response.body());
        assertEquals(200, post("v1/models/demo-clean:predict", duck, null).statusCode(), "and camkit keeps serving");
    }

    @Test
    void aLongRequestShowsItsProgressAndCanBeCancelled() throws Exception {
        // six Score-CAM runs (aug-smooth) of one masked image per pass: seconds, polled every 200 ms
        String parameters = "{\"method\": \"scorecam\", \"options\": {\"batch-size\": 1}, \"augSmooth\": true, "
                + "\"requestId\": \"progress-1\"}";
        CompletableFuture<HttpResponse<String>> running = CompletableFuture.supplyAsync(() -> call(
                () -> post("v1/models/demo-clean:explain", duck, parameters)));
        JsonObject seen = awaitRunning("progress-1");
        assertTrue(seen.get("task").getAsString().startsWith("scorecam"), seen::toString);
        assertTrue(seen.get("total").getAsInt() > 0, seen::toString);
        HttpResponse<String> done = running.get();
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("progress-1", done.headers().firstValue("X-Request-Id").orElse(null));
        JsonObject finished = json(get("v1/requests/progress-1"));
        assertEquals("done", finished.get("state").getAsString());
        assertEquals(finished.get("total").getAsInt(), finished.get("done").getAsInt());

        // LIME with 100,000 samples would run for minutes: the DELETE comes while it runs and ends it at its next pass
        String longer = "{\"method\": \"lime\", \"options\": {\"samples\": 100000}, \"requestId\": \"progress-2\"}";
        CompletableFuture<HttpResponse<String>> cancelled = CompletableFuture.supplyAsync(() -> call(
                () -> post("v1/models/demo-clean:explain", duck, longer)));
        awaitRunning("progress-2");
        assertEquals(204, RestClient.delete("v1/requests/progress-2").statusCode());
        assertError(cancelled.get(), 409, "progress-2", null);
        assertEquals("cancelled", json(get("v1/requests/progress-2")).get("state").getAsString());
        assertEquals(404, get("v1/requests/never-was").statusCode());
    }

    @Test
    void theOpenApiDescriptionListsEveryEndpointAndEachAnswers() throws Exception {
        HttpResponse<String> response = get("openapi.json");
        assertEquals(200, response.statusCode());
        JsonObject api = json(response);
        assertEquals("3.0.3", api.get("openapi").getAsString());
        JsonObject paths = api.getAsJsonObject("paths");
        // a finished request for /v1/requests/{id}: its state is 200, its DELETE (nothing left to stop) 204
        assertEquals(200, post("v1/models/demo-clean:predict", duck, "{\"requestId\": \"openapi-check\"}")
                .statusCode());
        assertEquals(new TreeSet<>(List.of("/", "/openapi.json", "/v1/models", "/v1/models/{name}",
                "/v1/models/{name}:predict", "/v1/models/{name}:explain", "/v1/models/{name}:compare",
                "/v1/plugins/{kind}", "/v1/requests/{id}", "/page/{asset}")), new TreeSet<>(paths.keySet()));
        for (String path : paths.keySet()) {
            String concrete = path.substring(1).replace("{name}", "demo-clean").replace("{kind}", "methods")
                    .replace("{id}", "openapi-check").replace("{asset}", "app.js");
            for (String verb : paths.getAsJsonObject(path).keySet()) {
                int status = switch (verb) {
                    case "get" -> get(concrete).statusCode();
                    case "post" -> post(concrete, duck, path.endsWith(":compare") ? "{\"methods\": [\"gradcam\"]}"
                            : null).statusCode();
                    case "delete" -> RestClient.delete(concrete).statusCode();
                    default -> throw new AssertionError(verb);
                };
                assertEquals(verb.equals("delete") ? 204 : 200, status, verb + " " + path);
            }
        }
    }

    private static JsonObject awaitRunning(String id) throws InterruptedException {
        return FelixRuntime.awaitValue(() -> RestClient.requestState(id).filter(r -> r.get("state").getAsString()
                .equals("running") && r.get("done").getAsInt() > 0), java.time.Duration.ofSeconds(30),
                id + " to run and report progress");
    }

    private static ExplainRequest.Builder request(String model) {
        return ExplainRequest.builder(model).image(ImageInput.of("instances[0]", duck));
    }

    private static void assertError(HttpResponse<String> response, int status, String culprit, String choice) {
        assertEquals(status, response.statusCode(), response.body());
        assertJson(response);
        JsonObject error = json(response);
        assertFalse(error.get("error").getAsString().isBlank());
        if (culprit != null) {
            assertEquals(culprit, error.get("culprit").getAsString(), response.body());
        }
        if (choice != null) {
            assertTrue(strings(error.getAsJsonArray("choices")).contains(choice), response.body());
        }
    }

    private static final List<String> MODEL_FIELDS = List.of("name", "backend", "inputWidth", "inputHeight", "labels",
            "defaultLayer", "detector");

    private static void assertModel(ModelInfo expected, JsonObject actual, List<String> fields) {
        assertEquals(fields, List.copyOf(actual.keySet()), "the fields of " + expected.name()
                + ", never its descriptor path");
        assertEquals(expected.name(), actual.get("name").getAsString());
        assertEquals(expected.backend(), actual.get("backend").getAsString());
        assertEquals(expected.inputWidth(), actual.get("inputWidth").getAsInt());
        assertEquals(expected.inputHeight(), actual.get("inputHeight").getAsInt());
        assertEquals(expected.labels(), strings(actual.getAsJsonArray("labels")));
        assertEquals(expected.defaultLayer(), actual.get("defaultLayer").isJsonNull() ? null
                : actual.get("defaultLayer").getAsString());
        assertEquals(expected.detector(), actual.get("detector").getAsBoolean());
    }

    private static List<String> strings(JsonArray array) {
        return array.asList().stream().map(JsonElement::getAsString).toList();
    }

    private static void assertJson(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("application/json"), type);
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    static HttpResponse<String> call(Call call) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
