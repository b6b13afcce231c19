package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.ModelInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// The REST API over real HTTP on loopback, in the shared runtime (feature rest, port chosen by Jetty).
@ExtendWith(FelixRuntime.class)
class RestIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void resourceIsDeployed() throws InterruptedException {
        // the whiteboard adds a resource when its service appears; the ready filter sees the service itself
        FelixRuntime.await(() -> status("v1/models") == 200, "GET /v1/models to answer 200");
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
            assertModel(expected, models.get(expected.name()));
        }
        assertTrue(models.get("demo-detector").get("detector").getAsBoolean());
        assertFalse(models.get("demo-biased").get("detector").getAsBoolean());
    }

    @Test
    void describesOneModelByItsRegisteredName() throws Exception {
        HttpResponse<String> response = get("v1/models/demo-clean");

        assertEquals(200, response.statusCode(), response.body());
        assertJson(response);
        assertModel(FelixRuntime.explainer().model("demo-clean"), JsonParser.parseString(response.body())
                .getAsJsonObject());
    }

    @Test
    void anUnknownModelIs404WithTheRegisteredModelsAsChoices() throws Exception {
        HttpResponse<String> response = get("v1/models/nope");

        assertEquals(404, response.statusCode(), response.body());
        assertJson(response);
        JsonObject error = JsonParser.parseString(response.body()).getAsJsonObject();
        List<String> registered = FelixRuntime.explainer().models().stream().map(ModelInfo::name).toList();
        assertEquals("nope", error.get("culprit").getAsString());
        assertEquals(registered, error.getAsJsonArray("choices").asList().stream().map(JsonElement::getAsString)
                .toList());
        String message = error.get("error").getAsString();
        assertTrue(message.startsWith("unknown model 'nope'"), message);
        registered.forEach(name -> assertTrue(message.contains(name), message));
    }

    private static void assertModel(ModelInfo expected, JsonObject actual) {
        assertEquals(List.of("name", "backend", "inputWidth", "inputHeight", "labels", "defaultLayer", "detector"),
                List.copyOf(actual.keySet()), "the fields of " + expected.name() + ", never its descriptor path");
        assertEquals(expected.name(), actual.get("name").getAsString());
        assertEquals(expected.backend(), actual.get("backend").getAsString());
        assertEquals(expected.inputWidth(), actual.get("inputWidth").getAsInt());
        assertEquals(expected.inputHeight(), actual.get("inputHeight").getAsInt());
        assertEquals(expected.labels(), actual.getAsJsonArray("labels").asList().stream()
                .map(JsonElement::getAsString).toList());
        assertEquals(expected.defaultLayer(), actual.get("defaultLayer").isJsonNull() ? null
                : actual.get("defaultLayer").getAsString());
        assertEquals(expected.detector(), actual.get("detector").getAsBoolean());
    }

    private static void assertJson(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("application/json"), type);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = FelixRuntime.restBase().resolve(path);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
