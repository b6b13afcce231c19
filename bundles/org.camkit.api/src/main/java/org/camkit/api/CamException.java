package org.camkit.api;

import java.util.List;
import java.util.Objects;

/**
 * A request camkit cannot serve: bad input, an unknown name, a missing capability, or an engine failure.
 * The message names the culprit and, where there is one, the fix. The runtime keeps serving.
 *
 * @since 0.1
 */
public class CamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * What kind of failure it is, for callers that answer with a status (the REST API: 400, 404, 409).
     *
     * @since 0.7
     */
    public enum Kind {
        /** Bad input: a malformed option, image or spec, or an engine failure on it. */
        INVALID,
        /** An unknown name: a model, method, target, visualizer, metric or layer that is not there. */
        UNKNOWN,
        /** A valid request this model cannot serve: the method needs what the model's backend does not provide. */
        UNSUPPORTED,
        /** A plugin that went away a moment ago (its bundle is being updated or restarted): try again shortly. */
        UNAVAILABLE,
        /** The work was cancelled: its thread was interrupted (Ctrl-C, a timeout, a client's cancel). */
        CANCELLED
    }

    private final Kind kind;
    private final String culprit;
    private final List<String> choices;

    /**
     * Bad input without a culprit: what {@link Explainer#explainEach} takes for a failure of the images, tried one by
     * one; a request's own value at fault (an option) is named with {@link #CamException(Kind, String, String, List)}.
     *
     * @param message what went wrong and how to fix it
     */
    public CamException(String message) {
        this(message, (Throwable) null);
    }

    /**
     * @param message what went wrong and how to fix it
     * @param cause   the underlying failure
     */
    public CamException(String message, Throwable cause) {
        super(message, cause);
        this.kind = Kind.INVALID;
        this.culprit = null;
        this.choices = List.of();
    }

    /**
     * @param kind    what kind of failure it is
     * @param message what went wrong and how to fix it
     * @param culprit the value at fault, e.g. the unknown name or option; an image's label when that image is at
     *                fault, or null (then {@link Explainer#explainEach} tries the request's images one by one)
     * @param choices the values that would work, e.g. the registered names
     * @since 0.7
     */
    public CamException(Kind kind, String message, String culprit, List<String> choices) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.culprit = culprit;
        this.choices = List.copyOf(choices);
    }

    /**
     * @return what kind of failure it is; {@link Kind#INVALID} unless the thrower said otherwise
     * @since 0.7
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the value at fault, or null when the thrower did not name one apart from the message (for
     *         {@link Kind#INVALID}: the images are at fault)
     * @since 0.7
     */
    public String culprit() {
        return culprit;
    }

    /**
     * @return the values that would work instead of the culprit, possibly empty
     * @since 0.7
     */
    public List<String> choices() {
        return choices;
    }

    /**
     * @return {@code camkit: } and the message: what a shell prints for a failed command, without the class name
     * @since 0.3
     */
    @Override
    public String toString() {
        return "camkit: " + getMessage();
    }
}
