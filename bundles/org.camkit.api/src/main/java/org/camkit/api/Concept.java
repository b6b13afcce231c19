package org.camkit.api;

import java.util.Objects;

/**
 * One concept of a factorisation (Deep Feature Factorization): where it is in the image and what it means to
 * the model.
 *
 * @param legend what the concept scores highest as, e.g. {@code duck 0.91, charmander 0.05}
 * @param map    where the concept is, normalised to [0, 1] at the image's size, row-major
 * @since 0.2
 */
public record Concept(String legend, float[] map) {

    /** Validates and copies. */
    public Concept {
        Objects.requireNonNull(legend, "legend");
        map = map.clone();
    }

    /** @return a copy of the map */
    @Override
    public float[] map() {
        return map.clone();
    }
}
