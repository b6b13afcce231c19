package org.camkit.backend.djl.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TokenGrid;

// Test-only reading of a model descriptor JSON (the fields the export contract writes), as core reads it.
final class TestDescriptors {

    private TestDescriptors() {
    }

    static ModelDescriptor read(Path json) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        List<String> labels = new ArrayList<>();
        if (o.has("labels")) {
            o.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (o.has("properties")) {
            o.getAsJsonObject("properties").entrySet().forEach(e -> properties.put(e.getKey(),
                    e.getValue().getAsString()));
        }
        TokenGrid tokens = null;
        if (o.has("tokens") && !o.get("tokens").isJsonNull()) {
            JsonObject t = o.getAsJsonObject("tokens");
            tokens = new TokenGrid(t.has("prefix") ? t.get("prefix").getAsInt() : 0, t.get("height").getAsInt(),
                    t.get("width").getAsInt());
        }
        return new ModelDescriptor(o.get("name").getAsString(), o.get("backend").getAsString(),
                json.toAbsolutePath().getParent().resolve(o.get("file").getAsString()).normalize(),
                o.has("architecture") ? o.get("architecture").getAsString() : "", o.get("inputWidth").getAsInt(),
                o.get("inputHeight").getAsInt(), floats(o, "mean"), floats(o, "std"), labels,
                o.has("defaultLayer") ? o.get("defaultLayer").getAsString() : "", properties,
                o.has("channelOrder") ? o.get("channelOrder").getAsString() : "RGB", tokens);
    }

    private static float[] floats(JsonObject o, String key) {
        float[] values = new float[3];
        for (int c = 0; c < 3; c++) {
            values[c] = o.getAsJsonArray(key).get(c).getAsFloat();
        }
        return values;
    }
}
