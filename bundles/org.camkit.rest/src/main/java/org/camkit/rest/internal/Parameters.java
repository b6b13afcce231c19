package org.camkit.rest.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A request's {@code parameters}, checked: only the names the endpoint reads (a typo is refused with the names it
 * takes), values of the right JSON type, and no value that names a file — over HTTP camkit reads no file of the
 * server's, so a target or an option that would (a concept {@code .npy}, a mask) is refused.
 */
final class Parameters {
    /** What :explain reads. */
    static final Set<String> EXPLAIN = Set.of("method", "layer", "layers", "target", "options", "outputs", "map",
            "visualizer", "augSmooth", "eigenSmooth", "requestId");
    /** What :compare reads. */
    static final Set<String> COMPARE = Set.of("methods", "layer", "layers", "target", "options", "columns",
            "requestId");
    /** What :predict reads. */
    static final Set<String> PREDICT = Set.of("requestId");

    // a path separator, a home directory, or a file extension ending a value or one of its ':'/'@' parts
    private static final Pattern FILE = Pattern.compile("[/\\\\~]|\\.[A-Za-z][A-Za-z0-9]{0,4}(?:$|[:@])");

    private final JsonObject json;

    private Parameters(JsonObject json) {
        this.json = json;
    }

    /**
     * @param json    the parameters object
     * @param allowed the names the endpoint reads
     * @return the parameters
     * @throws RestException 400 naming an unknown parameter and the ones the endpoint reads
     */
    static Parameters parse(JsonObject json, Set<String> allowed) {
        for (String key : json.keySet()) {
            if (!allowed.contains(key)) {
                throw new RestException(400, "unknown parameter '" + key + "'; this endpoint reads "
                        + String.join(", ", new TreeSet<>(allowed)), key, List.copyOf(new TreeSet<>(allowed)));
            }
        }
        return new Parameters(json);
    }

    /** @return whether the parameter is given (and not null) */
    boolean has(String name) {
        return value(name) != null;
    }

    // the parameter's value; null when absent or JSON null, which mean the same
    private JsonElement value(String name) {
        JsonElement value = json.get(name);
        return value == null || value.isJsonNull() ? null : value;
    }

    /** @return a text parameter, or the fallback when absent or null */
    String text(String name, String fallback) {
        JsonElement value = value(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isJsonPrimitive()) {
            throw RestException.badRequest("parameter '" + name + "' must be a string, not " + value, name);
        }
        return value.getAsString();
    }

    /** @return a text parameter that must not name a file */
    String noFile(String name, String fallback) {
        String value = text(name, fallback);
        refuseFile(name, value);
        return value;
    }

    /** @return a list of strings: a JSON array, or one string as a list of one */
    List<String> list(String name) {
        JsonElement value = value(name);
        if (value == null) {
            return List.of();
        }
        if (value.isJsonPrimitive()) {
            return List.of(value.getAsString());
        }
        if (!value.isJsonArray()) {
            throw RestException.badRequest("parameter '" + name + "' must be an array of strings", name);
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : value.getAsJsonArray()) {
            if (!e.isJsonPrimitive()) {
                throw RestException.badRequest("parameter '" + name + "' must be an array of strings", name);
            }
            out.add(e.getAsString());
        }
        return out;
    }

    /** @return the layers: {@code layers} (an array) or {@code layer} (one) */
    List<String> layers() {
        List<String> layers = new ArrayList<>(list("layers"));
        String layer = text("layer", "");
        if (!layer.isBlank()) {
            layers.add(layer);
        }
        return layers;
    }

    /** @return a method's options: an object of names to strings, numbers or booleans */
    Map<String, String> options() {
        JsonElement value = value("options");
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!value.isJsonObject()) {
            throw RestException.badRequest("parameter 'options' must be an object, e.g. {\"batch-size\": 16}",
                    "options");
        }
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw RestException.badRequest("option '" + e.getKey() + "' must be a string, number or boolean",
                        e.getKey());
            }
            String option = e.getValue().getAsString();
            refuseFile("options." + e.getKey(), option);
            out.put(e.getKey(), option);
        }
        return out;
    }

    /** @return a boolean parameter, false when absent */
    boolean flag(String name) {
        JsonElement value = value(name);
        if (value == null) {
            return false;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw RestException.badRequest("parameter '" + name + "' must be true or false", name);
        }
        return value.getAsBoolean();
    }

    /** @return a whole-number parameter, the fallback when absent */
    int number(String name, int fallback) {
        JsonElement value = value(name);
        if (value == null) {
            return fallback;
        }
        try {
            return value.getAsJsonPrimitive().getAsBigDecimal().intValueExact();
        } catch (RuntimeException e) {
            throw RestException.badRequest("parameter '" + name + "' must be a whole number, not " + value, name);
        }
    }

    /**
     * @return the values of a parameter that must be among {@code choices}, the fallback when absent
     */
    List<String> among(String name, List<String> choices, List<String> fallback) {
        List<String> values = has(name) ? list(name) : fallback;
        values.forEach(v -> checkChoice(name, v, choices));
        return values;
    }

    /** @return a text parameter that must be one of {@code choices}, the fallback when absent */
    String choice(String name, List<String> choices, String fallback) {
        String value = text(name, fallback);
        checkChoice(name, value, choices);
        return value;
    }

    private static void checkChoice(String name, String value, List<String> choices) {
        if (!choices.contains(value)) {
            throw new RestException(400, "parameter '" + name + "' has '" + value + "'; choose from "
                    + String.join(", ", choices), value, choices);
        }
    }

    static void refuseFile(String name, String value) {
        if (value != null && FILE.matcher(value).find()) {
            throw RestException.badRequest("parameter '" + name + "' is '" + value + "', which names a file; over "
                    + "HTTP camkit reads no file of the server's (targets and options that take files, such as "
                    + "similarity:<concept.npy> or a segmentation mask, work from the shell and the Java API)", name);
        }
    }
}
