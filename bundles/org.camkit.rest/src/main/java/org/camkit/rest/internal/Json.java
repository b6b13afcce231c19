package org.camkit.rest.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

// JSON bodies of the API, written by one configured Gson (thread-safe): nulls kept, so every object has the same
// fields; no HTML escaping, so labels and messages read as they are.
final class Json {
    /** The media type of every body the API writes. */
    static final String MEDIA_TYPE = "application/json;charset=utf-8";

    private static final Gson GSON = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private Json() {
    }

    static String write(Object value) {
        return GSON.toJson(value);
    }

    /** @return the value as a JSON tree, nulls kept */
    @SuppressWarnings("unchecked")
    static <T extends JsonElement> T tree(Object value) {
        return (T) GSON.toJsonTree(value);
    }

    /**
     * @param text JSON text
     * @param what what it is, for the message
     * @return it as an object
     * @throws RestException 400 when it is not a JSON object
     */
    static JsonObject object(String text, String what) {
        return object(parse(text, what), what);
    }

    /**
     * @param json a JSON value
     * @param what what it is, for the message
     * @return it as an object
     * @throws RestException 400 when it is not a JSON object
     */
    static JsonObject object(JsonElement json, String what) {
        if (!json.isJsonObject()) {
            throw RestException.badRequest(what + " must be a JSON object", what);
        }
        return json.getAsJsonObject();
    }

    /**
     * @param text JSON text
     * @param what what it is, for the message
     * @return its value
     * @throws RestException 400 when it is not JSON
     */
    static JsonElement parse(String text, String what) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw RestException.badRequest(what + " is not valid JSON: " + e.getMessage(), what);
        }
    }
}
