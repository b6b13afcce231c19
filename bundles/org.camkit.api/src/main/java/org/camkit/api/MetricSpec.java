package org.camkit.api;

import java.util.Map;
import java.util.Objects;

/**
 * A metric to score with, its options, and the name its values get in the report.
 *
 * @param name    a registered metric's name, e.g. {@code energy}
 * @param options the metric's options, e.g. {@code label=duck}
 * @param column  the name of its values in the report (e.g. {@code energy-duck}, to score one metric twice with other
 *                options); the metric's name when null or blank
 * @since 0.4
 */
public record MetricSpec(String name, Map<String, String> options, String column) {

    /** Validates and copies. */
    public MetricSpec {
        Objects.requireNonNull(name, "name");
        options = Map.copyOf(options);
        column = column == null || column.isBlank() ? name : column;
    }

    /**
     * @param name    a metric's name
     * @param options its options
     */
    public MetricSpec(String name, Map<String, String> options) {
        this(name, options, null);
    }

    /**
     * @param name a metric's name
     * @return the metric with its default options
     */
    public static MetricSpec of(String name) {
        return new MetricSpec(name, Map.of(), null);
    }
}
