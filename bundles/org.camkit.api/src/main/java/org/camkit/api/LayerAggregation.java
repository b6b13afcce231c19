package org.camkit.api;

/**
 * How the maps of several target layers become one map. Each layer's map is first clamped at 0, min-max normalised
 * and resized to the input.
 *
 * @since 0.5
 */
public enum LayerAggregation {
    /** The mean of the layers' maps, then min-max (pytorch-grad-cam's {@code aggregate_multi_layers}). */
    MEAN,
    /**
     * The element-wise product of the layers' maps, each normalised to [0, 1] at input size, then min-max
     * (pytorch-grad-cam's RefineCAM): only what every layer highlights survives, which denoises early layers.
     */
    PRODUCT;

    /**
     * @param name {@code mean} or {@code product}, in any case
     * @return the aggregation
     * @throws CamException if the name is neither
     */
    public static LayerAggregation parse(String name) {
        for (LayerAggregation a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new CamException("unknown layer aggregation '" + name + "'; use mean or product");
    }
}
