package org.camkit.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to explain: a model, one or more images, a CAM method, target layers and a target.
 * Build with {@link #builder(String)}.
 *
 * @param model  a registered model name or the path of a model descriptor ({@code .json})
 * @param images the images, at least one; explained as one batch
 * @param method the CAM method's name
 * @param layers the target layers; empty means the model's default layer
 * @param target the target spec {@code name[:argument]}, e.g. {@code class:3}; empty means the predicted class
 * @since 0.1
 */
public record ExplainRequest(String model, List<ImageInput> images, String method, List<String> layers,
        String target) {

    /** The method used when a request names none. */
    public static final String DEFAULT_METHOD = "gradcam";

    /** Validates and copies. */
    public ExplainRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a request needs a model (a registered name or a descriptor path)");
        }
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one image");
        }
        images = List.copyOf(images);
        method = method == null || method.isBlank() ? DEFAULT_METHOD : method;
        layers = layers == null ? List.of() : List.copyOf(layers);
        target = target == null ? "" : target.trim();
    }

    /**
     * @param model a registered model name or descriptor path
     * @return a builder with the default method, layer and target
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /**
     * Builds an {@link ExplainRequest}.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String model;
        private final List<ImageInput> images = new ArrayList<>();
        private String method = DEFAULT_METHOD;
        private final List<String> layers = new ArrayList<>();
        private String target = "";

        private Builder(String model) {
            this.model = model;
        }

        /**
         * @param image an image to add to the batch
         * @return this builder
         */
        public Builder image(ImageInput image) {
            images.add(Objects.requireNonNull(image, "image"));
            return this;
        }

        /**
         * @param method a CAM method's name
         * @return this builder
         */
        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * @param layer a target layer to add
         * @return this builder
         */
        public Builder layer(String layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        /**
         * @param target a target spec {@code name[:argument]}
         * @return this builder
         */
        public Builder target(String target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** @return the request */
        public ExplainRequest build() {
            return new ExplainRequest(model, images, method, layers, target);
        }
    }
}
