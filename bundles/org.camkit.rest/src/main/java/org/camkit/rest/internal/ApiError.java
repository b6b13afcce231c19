package org.camkit.rest.internal;

import java.util.List;

// The body of every error response: what went wrong, the value at fault (or null), and the values that would work.
record ApiError(String error, String culprit, List<String> choices) {

    ApiError {
        choices = List.copyOf(choices);
    }

    static ApiError unknownModel(String name, List<String> registered) {
        return new ApiError("unknown model '" + name + "'; registered models: " + String.join(", ", registered),
                name, registered);
    }
}
