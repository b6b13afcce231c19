package org.camkit.backend.tensorflow.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camkit.api.CamException;
import org.camkit.api.Explainer;
import org.camkit.api.ModelInfo;

/*
 * A model cam:tfbench explains: its descriptor JSON, found by registered name or given as a path, and the copy of it
 * at the benchmark's input size that the explain calls name (same content and path on every run, so that the
 * Explainer's model cache keeps one entry per model and size).
 */
record BenchModel(String reference, Path descriptor, JsonObject json) {

    /**
     * @param explainer finds registered models
     * @param model     a registered model name or a descriptor path ({@code .json}, relative to the working
     *                  directory)
     * @param backend   the backend the descriptor must name
     */
    static BenchModel find(Explainer explainer, String model, String backend) {
        Path file = null;
        for (ModelInfo info : explainer.models()) {
            if (info.name().equals(model)) {
                file = info.descriptor();
            }
        }
        if (file == null && model.endsWith(".json")) {
            file = Path.of(model).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new CamException("cam:tfbench: model descriptor " + file + " does not exist (a relative path "
                        + "resolves against the working directory " + Path.of("").toAbsolutePath() + "); run from "
                        + "the repository root (./camkit does), give the descriptor's path, or a registered model: "
                        + explainer.models().stream().map(ModelInfo::name).toList());
            }
        }
        if (file == null) {
            throw new CamException("cam:tfbench: unknown model '" + model + "'; registered models: "
                    + explainer.models().stream().map(ModelInfo::name).toList()
                    + ", or give the path of a model descriptor (.json)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CamException("cam:tfbench: model descriptor " + file + " is not readable JSON: "
                    + e.getMessage(), e);
        }
        BenchModel found = new BenchModel(model, file, json);
        if (!backend.equals(found.text("backend", ""))) {
            throw new CamException("cam:tfbench: model '" + model + "' (" + file + ") has backend '"
                    + found.text("backend", "") + "'; give a model of backend '" + backend + "'");
        }
        return found;
    }

    String text(String key, String absent) {
        JsonElement value = json.get(key);
        return value == null || value.isJsonNull() ? absent : value.getAsString();
    }

    String text(String key) {
        String value = text(key, null);
        if (value == null) {
            throw new CamException("cam:tfbench: model descriptor " + descriptor + " lacks \"" + key + "\"");
        }
        return value;
    }

    /** @return the model file, resolved against the descriptor's folder */
    Path modelFile() {
        return descriptor.toAbsolutePath().getParent().resolve(text("file")).normalize();
    }

    /** @return the three values of {@code mean} or {@code std} */
    float[] floats(String key) {
        float[] values = new float[3];
        try {
            for (int c = 0; c < 3; c++) {
                values[c] = json.getAsJsonArray(key).get(c).getAsFloat();
            }
        } catch (RuntimeException e) {
            throw new CamException("cam:tfbench: model descriptor " + descriptor + ": \"" + key + "\" must hold 3 "
                    + "numbers", e);
        }
        return values;
    }

    /** @return whether the model expects its channels in BGR order */
    boolean bgr() {
        return "BGR".equalsIgnoreCase(text("channelOrder", "RGB"));
    }

    /**
     * @param dir  where copies are kept
     * @param size the input width and height
     * @return the model reference explain calls use at {@code size}: the model itself at its own size, else a copy
     *         of its descriptor with that size and an absolute model file
     */
    String atSize(Path dir, int size) {
        if (text("inputWidth").equals(String.valueOf(size)) && text("inputHeight").equals(String.valueOf(size))) {
            return reference;
        }
        JsonObject copy = json.deepCopy();
        copy.add("file", new JsonPrimitive(modelFile().toString()));
        copy.add("inputWidth", new JsonPrimitive(size));
        copy.add("inputHeight", new JsonPrimitive(size));
        String name = text("name", descriptor.getFileName().toString().replaceFirst("\\.json$", ""));
        Path file = dir.resolve(name + "-" + size + ".json");
        String content = copy.toString();
        try {
            Files.createDirectories(dir);
            if (!Files.isRegularFile(file) || !Files.readString(file).equals(content)) {
                Files.writeString(file, content);
            }
        } catch (IOException e) {
            throw new CamException("cam:tfbench: cannot write the descriptor copy " + file + ": " + e.getMessage()
                    + "; check that java.io.tmpdir is writable", e);
        }
        return file.toString();
    }
}
