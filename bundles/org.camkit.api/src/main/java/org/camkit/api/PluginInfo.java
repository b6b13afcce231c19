package org.camkit.api;

import java.util.List;

/**
 * A plugin registered in the runtime.
 *
 * @param kind    what role it plays
 * @param name    its name, as requests use it
 * @param bundle  the symbolic name of the bundle providing it
 * @param details for a method, the capabilities it requires, then an {@code option <name>} entry per option; for a
 *                metric, its description, {@code needs ground truth} where it does, then an
 *                {@code option <name>: <description>} entry per option; for a target, its description (since 1.3), if
 *                it has one; empty for the other kinds (what a model provides depends on the model:
 *                {@link Explainer#capabilities})
 * @since 0.1
 */
public record PluginInfo(Kind kind, String name, String bundle, List<String> details) {

    /** Copies. */
    public PluginInfo {
        details = List.copyOf(details);
    }

    /**
     * The plugin roles.
     *
     * @since 0.1
     */
    public enum Kind {
        /** A CAM method. */
        METHOD,
        /** A model backend. */
        BACKEND,
        /** A target resolver. */
        TARGET,
        /** A visualizer. */
        VISUALIZER,
        /**
         * A metric of maps.
         *
         * @since 0.4
         */
        METRIC
    }
}
