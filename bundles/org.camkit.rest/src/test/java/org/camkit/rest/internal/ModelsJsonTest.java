package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.camkit.api.Comparison;
import org.camkit.api.Explainer;
import org.camkit.api.ModelInfo;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class ModelsJsonTest {
    private static final ModelInfo DUCKS = new ModelInfo("ducks", "pytorch", Path.of("/srv/models/ducks.json"), 64, 48,
            List.of("duck", "not <duck>"), "stage3", false);
    private static final ModelInfo BOXES = new ModelInfo("boxes", "tensorflow", Path.of("/srv/models/boxes.json"), 32,
            32, List.of("a"), null, true);

    @Test
    void aModelHasItsSevenFieldsAndNeverTheDescriptorPath() {
        JsonObject json = JsonParser.parseString(Json.write(ModelView.of(DUCKS))).getAsJsonObject();

        assertEquals(Set.of("name", "backend", "inputWidth", "inputHeight", "labels", "defaultLayer", "detector"),
                json.keySet());
        assertEquals("ducks", json.get("name").getAsString());
        assertEquals("pytorch", json.get("backend").getAsString());
        assertEquals(64, json.get("inputWidth").getAsInt());
        assertEquals(48, json.get("inputHeight").getAsInt());
        assertEquals("not <duck>", json.getAsJsonArray("labels").get(1).getAsString());
        assertEquals("stage3", json.get("defaultLayer").getAsString());
        assertFalse(json.get("detector").getAsBoolean());
        assertFalse(Json.write(ModelView.of(DUCKS)).contains("/srv/models"));
    }

    @Test
    void aModelWithoutADefaultLayerKeepsTheFieldAsNull() {
        JsonObject json = JsonParser.parseString(Json.write(ModelView.of(BOXES))).getAsJsonObject();

        assertTrue(json.has("defaultLayer"));
        assertTrue(json.get("defaultLayer").isJsonNull());
        assertTrue(json.get("detector").getAsBoolean());
    }

    @Test
    void theModelListHasEveryRegisteredModelInTheExplainersOrder() {
        JsonArray json = JsonParser.parseString(new ModelsResource(explainerOf(BOXES, DUCKS), null).models())
                .getAsJsonArray();

        assertEquals(2, json.size());
        assertEquals("boxes", json.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("ducks", json.get(1).getAsJsonObject().get("name").getAsString());
    }

    @Test
    void anUnknownModelIsTheCulpritAndTheRegisteredModelsAreTheChoices() {
        JsonObject json = JsonParser.parseString(Json.write(ApiError.unknownModel("nope", List.of("boxes", "ducks"))))
                .getAsJsonObject();

        assertEquals("unknown model 'nope'; registered models: boxes, ducks", json.get("error").getAsString());
        assertEquals("nope", json.get("culprit").getAsString());
        assertEquals(List.of("boxes", "ducks"),
                json.getAsJsonArray("choices").asList().stream().map(e -> e.getAsString()).toList());
    }

    // An Explainer that only lists models: the resource asks nothing else of it here.
    private static Explainer explainerOf(ModelInfo... models) {
        return (Explainer) Proxy.newProxyInstance(Explainer.class.getClassLoader(), new Class<?>[] {Explainer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("models")) {
                        return List.of(models);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aComparedMethodsErrorNamesServerFilesWithoutTheirFolders() {
        Comparison comparison = new Comparison(List.of(new Comparison.Entry("scorecam", null,
                "cannot read /srv/models/secret/ducks.params", Duration.ofMillis(3))), new RgbImage(1, 1, new byte[3]));

        String error = JsonParser.parseString(Json.write(Answers.comparison(comparison))).getAsJsonObject()
                .getAsJsonArray("entries").get(0).getAsJsonObject().get("error").getAsString();

        assertFalse(error.contains("/srv/models"), error);
        assertTrue(error.contains("ducks.params"), error);
    }
}
