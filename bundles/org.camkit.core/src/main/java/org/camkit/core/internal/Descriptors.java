package org.camkit.core.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.DetectionLayout;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TokenGrid;

/**
 * Reads model descriptors: a JSON file next to the model file, e.g. {@code demo-biased.json}. Public for tests
 * (the backends' fixture helpers, the converter's cross-backend test) only; the package is not exported.
 */
public final class Descriptors {

    /** The task of a detector. */
    static final String DETECTION = "detection";

    private Descriptors() {
    }

    /**
     * @param json a descriptor file
     * @return the descriptor, its {@code file} resolved against the descriptor's folder
     * @throws CamException naming the file and the missing or malformed key
     */
    public static ModelDescriptor read(Path json) {
        JsonObject o;
        try {
            o = strictObject(Files.readString(json));
        } catch (IOException | RuntimeException e) {
            throw new CamException("model descriptor '" + json + "' is not readable JSON: " + jsonProblem(e), e);
        }
        try {
            Path file = json.toAbsolutePath().getParent().resolve(string(o, "file", json)).normalize();
            Map<String, String> properties = new LinkedHashMap<>();
            JsonElement p = o.get("properties");
            if (p != null && !p.isJsonNull()) {
                if (!p.isJsonObject()) {
                    throw wrongType(json, "properties", "an object of strings", p);
                }
                for (Map.Entry<String, JsonElement> e : p.getAsJsonObject().entrySet()) {
                    properties.put(e.getKey(), text(e.getValue(), "properties." + e.getKey(), json));
                }
            }
            return new ModelDescriptor(optional(o, "name", baseName(json), json), string(o, "backend", json), file,
                    optional(o, "architecture", "", json), integer(o, "inputWidth", json),
                    integer(o, "inputHeight", json), floats(o, "mean", json), floats(o, "std", json),
                    strings(o, "labels", json), optional(o, "defaultLayer", "", json), properties,
                    optional(o, "channelOrder", "RGB", json), tokens(o, json), detection(o, json));
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("model descriptor '" + json + "' is invalid: " + e.getMessage(), e);
        }
    }

    /** @return what is wrong with the JSON, in words without the parser's class names and links (line and column) */
    static String jsonProblem(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage());
        int link = message.indexOf("\nSee https://");
        return link < 0 ? message : message.substring(0, link);
    }

    private static CamException wrongType(Path json, String key, String expected, JsonElement got) {
        return new CamException("model descriptor '" + json + "': \"" + key + "\" must be " + expected + ", got "
                + got);
    }

    /** @return a string value (a number or boolean is taken as written) */
    private static String text(JsonElement e, String key, Path json) {
        if (!e.isJsonPrimitive()) {
            throw wrongType(json, key, "a string", e);
        }
        return e.getAsString();
    }

    private static String optional(JsonObject o, String key, String absent, Path json) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? absent : text(e, key, json);
    }

    private static List<String> strings(JsonObject o, String key, Path json) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw wrongType(json, key, "a list of strings", e);
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            if (!item.isJsonPrimitive()) {
                throw wrongType(json, key, "a list of strings", e);
            }
            out.add(item.getAsString());
        }
        return out;
    }

    /** @return the JSON object {@code text} holds, read strictly (RFC 8259: no comments, no raw control characters) */
    private static JsonObject strictObject(String text) throws IOException {
        return strict(text).getAsJsonObject();
    }

    /**
     * camkit's one strict JSON reader (descriptors, COCO annotations).
     *
     * @param text JSON text
     * @return the value it holds, read strictly (RFC 8259: no comments, no raw control characters, nothing after it)
     * @throws IOException or {@link com.google.gson.JsonParseException} where it is not; {@link #jsonProblem} words it
     */
    static JsonElement strict(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement element = JsonParser.parseReader(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("text after the JSON at " + reader.getPath());
        }
        return element;
    }

    /**
     * Writes a descriptor file that {@link #read} reads back as {@code descriptor}, unless the file already holds
     * exactly that (so that its modification time, and a model cached from it, stay).
     *
     * @param descriptor the descriptor; {@code file} is written as an absolute path
     * @param json       the file to write
     * @return {@code json}
     * @throws CamException naming the file if it cannot be written
     */
    static Path write(ModelDescriptor descriptor, Path json) {
        JsonObject o = new JsonObject();
        o.addProperty("name", descriptor.name());
        o.addProperty("backend", descriptor.backend());
        o.addProperty("file", descriptor.file().toAbsolutePath().toString());
        o.addProperty("architecture", descriptor.architecture());
        o.addProperty("inputWidth", descriptor.inputWidth());
        o.addProperty("inputHeight", descriptor.inputHeight());
        o.add("mean", array(descriptor.mean()));
        o.add("std", array(descriptor.std()));
        o.addProperty("channelOrder", descriptor.channelOrder());
        JsonArray labels = new JsonArray();
        descriptor.labels().forEach(labels::add);
        o.add("labels", labels);
        o.addProperty("defaultLayer", descriptor.defaultLayer());
        JsonObject properties = new JsonObject();
        new java.util.TreeMap<>(descriptor.properties()).forEach(properties::addProperty);
        o.add("properties", properties);
        if (descriptor.tokens() != null) {
            JsonObject tokens = new JsonObject();
            tokens.addProperty("prefix", descriptor.tokens().prefix());
            tokens.addProperty("height", descriptor.tokens().height());
            tokens.addProperty("width", descriptor.tokens().width());
            o.add("tokens", tokens);
        }
        DetectionLayout layout = descriptor.detection();
        if (layout != null) {
            o.addProperty("task", DETECTION);
            JsonObject detection = new JsonObject();
            detection.addProperty("layout", layout.layout());
            detection.addProperty("scoreThreshold", layout.scoreThreshold());
            detection.addProperty("nmsIou", layout.nmsIou());
            o.add("detection", detection);
        }
        String content = o + "\n";
        try {
            if (!Files.isRegularFile(json) || !Files.readString(json).equals(content)) {
                Files.writeString(json, content);
            }
        } catch (IOException e) {
            throw new CamException("cannot write model descriptor '" + json + "': " + e.getMessage()
                    + "; check that its folder exists and is writable", e);
        }
        return json;
    }

    private static JsonArray array(float[] values) {
        JsonArray a = new JsonArray();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }

    /** Keys of a model configuration that are not descriptor fields or framework bookkeeping. */
    private static final java.util.Set<String> FIELDS = java.util.Set.of("name", "backend", "file", "architecture",
            "inputWidth", "inputHeight", "mean", "std", "labels", "defaultLayer", "channelOrder", "tokens", "task",
            "detection.layout", "detection.scoreThreshold", "detection.nmsIou");

    /**
     * @param config a model configuration
     * @return the {@code .cfg} file it came from (FileInstall's), or a name built from its PID
     */
    static Path configFile(Map<String, Object> config) {
        Object file = config.get("felix.fileinstall.filename");
        if (file != null) {
            String text = file.toString();
            return Path.of(text.startsWith("file:") ? java.net.URI.create(text).getPath() : text);
        }
        return Path.of(config.getOrDefault("service.pid", ConfiguredModel.PID) + ".cfg");
    }

    /**
     * A descriptor from a configuration ({@code .cfg}): the JSON keys as properties, lists comma-separated,
     * {@code tokens} as {@code prefix,height,width}, a detector's {@code "detection"} object as
     * {@code detection.layout}, {@code detection.scoreThreshold}, {@code detection.nmsIou}; other keys become
     * descriptor properties.
     *
     * @param config the configuration's properties
     * @param base   the folder {@code file} resolves against
     * @return the descriptor
     * @throws CamException naming the missing or malformed key
     */
    static ModelDescriptor fromConfig(Map<String, Object> config, Path base) {
        String source = configFile(config).toString();
        try {
            Map<String, String> properties = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (!FIELDS.contains(k) && !k.startsWith("service.") && !k.startsWith("felix.")
                        && !k.startsWith("component.")) {
                    properties.put(k, String.valueOf(v));
                }
            });
            String name = text(config, "name", source);
            TokenGrid tokens = null;
            if (config.get("tokens") != null) {
                float[] t = numbers(config, "tokens", source);
                if (t.length != 3) {
                    throw new CamException("model configuration " + source + ": \"tokens\" needs prefix,height,width");
                }
                tokens = new TokenGrid((int) t[0], (int) t[1], (int) t[2]);
            }
            Object labels = config.get("labels");
            Object task = config.get("task");
            Object layout = config.get("detection.layout");
            DetectionLayout detection = detection(task == null ? null : task.toString().trim(),
                    layout == null ? null : layout.toString().trim(),
                    config.get("detection.scoreThreshold") == null ? null
                            : numbers(config, "detection.scoreThreshold", source)[0],
                    config.get("detection.nmsIou") == null ? null : numbers(config, "detection.nmsIou", source)[0],
                    "model configuration " + source, "detection.layout");
            return new ModelDescriptor(name, text(config, "backend", source),
                    base.resolve(text(config, "file", source)).normalize(),
                    String.valueOf(config.getOrDefault("architecture", "")),
                    whole(config, "inputWidth", source), whole(config, "inputHeight", source),
                    numbers(config, "mean", source), numbers(config, "std", source),
                    labels == null ? List.of() : split(labels),
                    String.valueOf(config.getOrDefault("defaultLayer", "")).trim(), properties,
                    String.valueOf(config.getOrDefault("channelOrder", "RGB")), tokens, detection);
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("model configuration " + source + " is invalid: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> config, String key, String source) {
        Object value = config.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new CamException("model configuration " + source + " lacks \"" + key + "\"");
        }
        return value.toString().trim();
    }

    private static List<String> split(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        return java.util.Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    private static int whole(Map<String, Object> config, String key, String source) {
        String value = text(config, key, source);
        try {
            return new java.math.BigDecimal(value).intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CamException("model configuration " + source + ": \"" + key + "\" must be a whole number, got '"
                    + value + "'");
        }
    }

    private static float[] numbers(Map<String, Object> config, String key, String source) {
        List<String> parts = split(text(config, key, source));
        float[] out = new float[parts.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Float.parseFloat(parts.get(i));
            } catch (NumberFormatException e) {
                throw new CamException("model configuration " + source + ": \"" + key + "\" must be numbers, got '"
                        + parts.get(i) + "'");
            }
        }
        return out;
    }

    /** {@code "tokens": {"prefix": 1, "height": 14, "width": 14}}, or null when absent. */
    private static TokenGrid tokens(JsonObject o, Path json) {
        if (!o.has("tokens") || o.get("tokens").isJsonNull()) {
            return null;
        }
        if (!o.get("tokens").isJsonObject()) {
            throw wrongType(json, "tokens", "an object {\"prefix\", \"height\", \"width\"}", o.get("tokens"));
        }
        JsonObject t = o.getAsJsonObject("tokens");
        return new TokenGrid(t.has("prefix") ? integer(t, "prefix", json) : 0, integer(t, "height", json),
                integer(t, "width", json));
    }

    /**
     * {@code "task": "detection"} with {@code "detection": {"layout", "scoreThreshold", "nmsIou"}}, or null for other
     * tasks.
     */
    private static DetectionLayout detection(JsonObject o, Path json) {
        String task = optional(o, "task", null, json);
        JsonElement d = o.get("detection");
        if (d == null || d.isJsonNull()) {
            return detection(task, null, null, null, "model descriptor '" + json + "'", "\"detection\": {\"layout\"}");
        }
        if (!d.isJsonObject()) {
            throw wrongType(json, "detection", "an object {\"layout\", \"scoreThreshold\", \"nmsIou\"}", d);
        }
        JsonObject detection = d.getAsJsonObject();
        for (String key : detection.keySet()) {
            if (!List.of("layout", "scoreThreshold", "nmsIou").contains(key)) {
                throw new CamException("model descriptor '" + json + "': \"detection\" has no key \"" + key
                        + "\"; its keys: layout, scoreThreshold, nmsIou");
            }
        }
        return detection(task, optional(detection, "layout", null, json), number(detection, "scoreThreshold", json),
                number(detection, "nmsIou", json), "model descriptor '" + json + "'", "\"detection\": {\"layout\"}");
    }

    /** @return a number, or null when absent */
    private static Float number(JsonObject o, String key, Path json) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw wrongType(json, "detection." + key, "a number in [0, 1]", e);
        }
        return e.getAsFloat();
    }

    /** The tasks a descriptor may name; only detection changes how camkit reads the output. */
    static final List<String> TASKS = List.of("classification", "segmentation", DETECTION);

    /**
     * @param task      the descriptor's task, or null
     * @param layout    the detection layout, or null
     * @param score     the score threshold, or null for the default
     * @param nms       the suppression IoU, or null for the default
     * @param source    the descriptor or configuration, for messages
     * @param layoutKey how the source spells the layout's key, for messages
     * @return the layout for a detector, else null
     */
    private static DetectionLayout detection(String task, String layout, Float score, Float nms, String source,
            String layoutKey) {
        if (task != null && !TASKS.contains(task)) {
            throw new CamException(source + ": task '" + task + "' is not one of " + TASKS);
        }
        boolean detector = DETECTION.equals(task);
        if (!detector) {
            if (layout != null || score != null || nms != null) {
                throw new CamException(source + " describes a detection layout but its task is "
                        + (task == null ? "not given" : "'" + task + "'") + "; add \"task\": \"detection\"");
            }
            return null;
        }
        if (layout == null || !DetectionLayout.LAYOUTS.contains(layout)) {
            throw new CamException(source + ": a detector needs " + layoutKey + ", one of " + DetectionLayout.LAYOUTS
                    + (layout == null ? "" : " (got '" + layout + "')") + ": " + DetectionLayout.OBJECTNESS_CLASSES
                    + " for rows x0,y0,x1,y1,objectness,class probabilities; " + DetectionLayout.SCORE_LABEL
                    + " for rows x0,y0,x1,y1,score,class index");
        }
        try {
            return new DetectionLayout(layout, score == null ? DetectionLayout.SCORE_THRESHOLD : score,
                    nms == null ? DetectionLayout.NMS_IOU : nms);
        } catch (IllegalArgumentException e) {
            throw new CamException(source + ": " + e.getMessage(), e);
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
        return text(required(o, key, json), key, json);
    }

    private static int integer(JsonObject o, String key, Path json) {
        JsonElement e = required(o, key, json);
        try {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new NumberFormatException();
            }
            return e.getAsBigDecimal().intValueExact();
        } catch (ArithmeticException | NumberFormatException | UnsupportedOperationException
                | IllegalStateException x) {
            throw new CamException("model descriptor '" + json + "': \"" + key + "\" must be a whole number, got "
                    + e);
        }
    }

    private static float[] floats(JsonObject o, String key, Path json) {
        JsonElement e = required(o, key, json);
        if (!e.isJsonArray()) {
            throw wrongType(json, key, "a list of numbers", e);
        }
        JsonArray a = e.getAsJsonArray();
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw wrongType(json, key, "a list of numbers", e);
            }
            out[i] = v.getAsFloat();
        }
        return out;
    }
}
