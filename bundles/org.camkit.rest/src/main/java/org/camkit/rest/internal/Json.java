package org.camkit.rest.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

// JSON bodies of the API, written by one configured Gson (thread-safe): nulls kept, so every object has the same
// fields; no HTML escaping, so labels and messages read as they are.
final class Json {
    /** The media type of every body the API writes. */
    static final String MEDIA_TYPE = "application/json;charset=utf-8";

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    static String write(Object value) {
        return GSON.toJson(value);
    }
}
