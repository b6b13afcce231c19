package org.camkit.spi;

import java.util.Objects;

/**
 * The score to explain for one image and its gradient seed.
 *
 * @param description what was explained, e.g. {@code class 3 (bulbasaur)}
 * @param classIndex  the output index explained, or -1 when the target is not one class
 * @param score       the target score
 * @param seed        d(score)/d(output) {@code [K]}
 * @since 0.1
 */
public record TargetScore(String description, int classIndex, float score, float[] seed) {

    /** Validates and copies. */
    public TargetScore {
        Objects.requireNonNull(description, "description");
        seed = seed.clone();
    }

    /** @return a copy of the seed */
    @Override
    public float[] seed() {
        return seed.clone();
    }
}
