package org.camkit.backend.djl.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camkit.api.CamException;

// cam:bench's view of a model descriptor JSON file: the few fields the raw benchmark needs, with clear errors.
record BenchDescriptor(Path file, JsonObject json) {

    static BenchDescriptor read(Path file) {
        try {
            return new BenchDescriptor(file,
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject());
        } catch (IOException | RuntimeException e) {
            throw new CamException("cam:bench: model descriptor " + file + " is not readable JSON: " + e.getMessage(),
                    e);
        }
    }

    String text(String key) {
        return text(json, key);
    }

    String text(JsonObject object, String key) {
        if (!object.has(key) || object.get(key).isJsonNull()) {
            throw new CamException("cam:bench: model descriptor " + file + " lacks \"" + key + "\"");
        }
        return object.get(key).getAsString();
    }

    String text(String key, String absent) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : absent;
    }

    int integer(String key) {
        return integer(json, key);
    }

    int integer(JsonObject object, String key) {
        try {
            return Integer.parseInt(text(object, key));
        } catch (NumberFormatException e) {
            throw new CamException("cam:bench: model descriptor " + file + ": \"" + key + "\" is not an integer", e);
        }
    }

    float[] floats(String key) {
        float[] values = new float[3];
        for (int c = 0; c < 3; c++) {
            values[c] = json.getAsJsonArray(key).get(c).getAsFloat();
        }
        return values;
    }

    /** @return the model file, resolved against the descriptor's folder */
    Path modelFile() {
        return file.toAbsolutePath().getParent().resolve(text("file")).normalize();
    }

    /** @return whether the backend loads it as a TorchScript model (see {@link TorchScriptModel#describes}) */
    boolean torchScript() {
        return TorchScriptModel.describes(text("architecture", ""), text("file"));
    }

    /** As the backend counts them: the labels, or the property {@code classes}; 0 when neither is given. */
    int classes() {
        if (json.has("labels") && !json.getAsJsonArray("labels").isEmpty()) {
            return json.getAsJsonArray("labels").size();
        }
        if (!json.has("properties") || !json.getAsJsonObject("properties").has("classes")) {
            return 0;
        }
        return integer(json.getAsJsonObject("properties"), "classes");
    }
}
