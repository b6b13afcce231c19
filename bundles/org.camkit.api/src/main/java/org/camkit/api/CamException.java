package org.camkit.api;

/**
 * A request camkit cannot serve: bad input, an unknown name, a missing capability, or an engine failure.
 * The message names the culprit and, where there is one, the fix. The runtime keeps serving.
 *
 * @since 0.1
 */
public class CamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and how to fix it */
    public CamException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and how to fix it
     * @param cause   the underlying failure
     */
    public CamException(String message, Throwable cause) {
        super(message, cause);
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
