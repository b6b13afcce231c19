package org.camkit.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Explainer#compare}: one entry per method and the comparison grid.
 *
 * @param entries one per method, in request order
 * @param grid    the original image and every method's picture, titled
 * @since 0.2
 */
public record Comparison(List<Entry> entries, RgbImage grid) {

    /** Copies. */
    public Comparison {
        entries = List.copyOf(entries);
        Objects.requireNonNull(grid, "grid");
    }

    /**
     * One method's outcome.
     *
     * @param method      the method's name
     * @param explanation its explanation, or null when it failed
     * @param error       why it failed, or null
     * @param time        how long it took
     */
    public record Entry(String method, Explanation explanation, String error, Duration time) {
    }
}
