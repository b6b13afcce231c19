package org.camkit.api;

import java.util.Map;
import java.util.Objects;

/**
 * A metric to score with, and its options.
 *
 * @param name    a registered metric's name, e.g. {@code deletion}
 * @param options the metric's options, e.g. {@code steps=20}
 * @since 0.4
 */
public record MetricSpec(String name, Map<String, String> options) {

    /** Validates and copies. */
    public MetricSpec {
        Objects.requireNonNull(name, "name");
        options = Map.copyOf(options);
    }

    /**
     * @param name a metric's name
     * @return the metric with its default options
     */
    public static MetricSpec of(String name) {
        return new MetricSpec(name, Map.of());
    }
}
