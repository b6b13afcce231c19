package org.camkit.spi;

/**
 * Service property keys that name camkit plugins, and the plugin kinds.
 *
 * @since 0.1
 */
public final class Plugins {
    /** Property naming a {@link CamMethod}, e.g. {@code gradcam}. */
    public static final String METHOD = "cam.method";
    /** Property naming a {@link ModelBackend}, e.g. {@code pytorch}. */
    public static final String BACKEND = "cam.backend";
    /** Property naming a {@link TargetResolver}, e.g. {@code class}. */
    public static final String TARGET = "cam.target";
    /** Property naming a {@link Visualizer}, e.g. {@code overlay}. */
    public static final String VISUALIZER = "cam.visualizer";
    /**
     * Property naming a {@link CamMetric}, e.g. {@code deletion}.
     *
     * @since 1.2
     */
    public static final String METRIC = "cam.metric";

    private Plugins() {
    }
}
