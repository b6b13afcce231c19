package org.camkit.core.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;

/** Reads model descriptors: a JSON file next to the model file, e.g. {@code demo-biased.json}. */
final class Descriptors {

    private Descriptors() {
    }

    static ModelDescriptor read(Path json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CamException("model descriptor '" + json + "' is not readable JSON: " + e.getMessage(), e);
        }
        try {
            String fileName = string(o, "file", json);
            Path file = json.toAbsolutePath().getParent().resolve(fileName).normalize();
            List<String> labels = new ArrayList<>();
            if (o.has("labels")) {
                o.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            if (o.has("properties")) {
                o.getAsJsonObject("properties").entrySet()
                        .forEach(e -> properties.put(e.getKey(), e.getValue().getAsString()));
            }
            String name = o.has("name") ? o.get("name").getAsString() : baseName(json);
            return new ModelDescriptor(name, string(o, "backend", json), file,
                    o.has("architecture") ? o.get("architecture").getAsString() : "",
                    integer(o, "inputWidth", json), integer(o, "inputHeight", json),
                    floats(o, "mean", json), floats(o, "std", json), labels, string(o, "defaultLayer", json),
                    properties);
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("model descriptor '" + json + "' is invalid: " + e.getMessage(), e);
        }
    }

    static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static JsonElement required(JsonObject o, String key, Path json) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new CamException("model descriptor '" + json + "' lacks \"" + key + "\"");
        }
        return e;
    }

    private static String string(JsonObject o, String key, Path json) {
        return required(o, key, json).getAsString();
    }

    private static int integer(JsonObject o, String key, Path json) {
        return required(o, key, json).getAsInt();
    }

    private static float[] floats(JsonObject o, String key, Path json) {
        JsonArray a = required(o, key, json).getAsJsonArray();
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }
}
