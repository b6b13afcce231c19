package org.camkit.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link CamMethod} computed for one layer (or, for a method without a layer, for the input), and how the
 * core turns it into one map per image.
 *
 * @param maps    {@code [N, C, h, w]}: per-channel contributions for {@link Kind#SUM} and {@link Kind#PROJECTION},
 *                one map ({@code C = 1}) for {@link Kind#MAP}, one map per concept for {@link Kind#CONCEPTS}
 * @param kind    how the core reduces the channels
 * @param legends for {@link Kind#CONCEPTS}, one legend per concept (e.g. its top labels); otherwise empty
 * @param details numbers the method reports per image beside its map, by name (e.g. LIME's surrogate {@code r2}),
 *                each with one value per image; shown in the explanation
 *                ({@link org.camkit.api.ImageExplanation#details()})
 * @since 0.2
 */
public record CamMaps(Tensor maps, Kind kind, List<String> legends, Map<String, float[]> details) {

    /**
     * The detail in which a perturbation method reports the forward passes it scored per image; {@code cam:bench}
     * turns it into passes per second.
     *
     * @since 1.3
     */
    public static final String PASSES = "passes";

    /** How the core reduces {@link #maps()} over channels. */
    public enum Kind {
        /** The channel sum {@code sum_k maps[:, k]}, or its first principal component when eigen-smooth is asked. */
        SUM,
        /** Always the first principal component of the channels (EigenCAM), with a deterministic sign. */
        PROJECTION,
        /** Already one map per image ({@code C = 1}); eigen-smooth does not apply. */
        MAP,
        /** One map per concept; the map per image is their sum, and each concept is kept in the result. */
        CONCEPTS
    }

    /** Validates and copies. */
    public CamMaps {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(kind, "kind");
        legends = List.copyOf(legends);
        Map<String, float[]> copied = new LinkedHashMap<>();
        details.forEach((name, values) -> copied.put(Objects.requireNonNull(name, "detail name"), values.clone()));
        details = java.util.Collections.unmodifiableMap(copied);
        if (maps.rank() != 4) {
            throw new IllegalArgumentException("a method's maps must be [N, C, h, w], got " + maps);
        }
        if (kind == Kind.MAP && maps.dim(1) != 1) {
            throw new IllegalArgumentException("a MAP result has one channel, got " + maps);
        }
        if (kind == Kind.CONCEPTS && legends.size() != maps.dim(1)) {
            throw new IllegalArgumentException("concepts need one legend per concept: " + legends.size()
                    + " legends for " + maps);
        }
        for (Map.Entry<String, float[]> d : details.entrySet()) {
            if (d.getValue().length != maps.dim(0)) {
                throw new IllegalArgumentException("detail '" + d.getKey() + "' needs one value per image ("
                        + maps.dim(0) + "), got " + d.getValue().length);
            }
        }
    }

    /**
     * A result without details.
     *
     * @param maps    the maps
     * @param kind    how the core reduces them
     * @param legends the concepts' legends, or empty
     */
    public CamMaps(Tensor maps, Kind kind, List<String> legends) {
        this(maps, kind, legends, Map.of());
    }

    /**
     * @return a copy of the details (the arrays are copies)
     */
    @Override
    public Map<String, float[]> details() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        details.forEach((name, values) -> copy.put(name, values.clone()));
        return copy;
    }

    /**
     * @param name     the detail's name, e.g. {@code r2}
     * @param perImage its value per image
     * @return this result with the detail added (replacing one of that name)
     * @since 1.3
     */
    public CamMaps withDetail(String name, float[] perImage) {
        Map<String, float[]> more = new LinkedHashMap<>(details);
        more.put(name, perImage);
        return new CamMaps(maps, kind, legends, more);
    }

    /**
     * @param contributions {@code [N, C, h, w]} whose channel sum is the map
     * @return a {@link Kind#SUM} result
     */
    public static CamMaps sum(Tensor contributions) {
        return new CamMaps(contributions, Kind.SUM, List.of());
    }

    /**
     * @param channels {@code [N, C, h, w]} to project on their first principal component
     * @return a {@link Kind#PROJECTION} result
     */
    public static CamMaps projection(Tensor channels) {
        return new CamMaps(channels, Kind.PROJECTION, List.of());
    }

    /**
     * @param map {@code [N, h, w]} or {@code [N, 1, h, w]}
     * @return a {@link Kind#MAP} result
     */
    public static CamMaps map(Tensor map) {
        Tensor four = map.rank() == 3 ? map.reshape(map.dim(0), 1, map.dim(1), map.dim(2)) : map;
        return new CamMaps(four, Kind.MAP, List.of());
    }

    /**
     * @param concepts {@code [N, M, h, w]}, one map per concept
     * @param legends  one legend per concept
     * @return a {@link Kind#CONCEPTS} result
     */
    public static CamMaps concepts(Tensor concepts, List<String> legends) {
        return new CamMaps(concepts, Kind.CONCEPTS, legends);
    }
}
