package org.camkit.rest.internal;

import java.util.List;

// A request the API refuses before or around camkit's own work: its status, its JSON body and, for 429 and 503, when
// to try again.
final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ApiError body;
    private final int retryAfterSeconds;

    RestException(int status, String error, String culprit, List<String> choices) {
        this(status, new ApiError(error, culprit, choices), 0);
    }

    RestException(int status, ApiError body, int retryAfterSeconds) {
        super(body.error());
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    ApiError body() {
        return body;
    }

    /** @return seconds for a Retry-After header, 0 for none */
    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static RestException badRequest(String error, String culprit) {
        return new RestException(400, error, culprit, List.of());
    }

    static RestException tooLarge(String error, String culprit) {
        return new RestException(413, error, culprit, List.of());
    }
}
