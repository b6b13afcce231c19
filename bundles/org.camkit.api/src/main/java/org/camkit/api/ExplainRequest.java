package org.camkit.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * @param options     the method's options, e.g. {@code batch-size=32} for ScoreCAM; a method refuses unknown ones
 * @param augSmooth   average over horizontal flips and input scalings {0.9, 1, 1.1} (pytorch-grad-cam's
 *                    {@code aug_smooth}); six passes
 * @param eigenSmooth replace the channel sum by its first principal component ({@code eigen_smooth})
 * @param progress    receives progress of long methods; interrupt the calling thread to cancel
 * @param originalSize explain at each image's own size: the explanation's image is the picture as decoded, its
 *                    map (and gradient image and concept maps) enlarged to it bilinearly, as
 *                    {@code cv2.resize(cam, (width, height))} does; otherwise all are at the model's input size
 * @param aggregation how several layers' maps become one; null for the method's own default
 *                    ({@link LayerAggregation#MEAN} for all but {@code refinecam})
 * @since 0.1
 */
public record ExplainRequest(String model, List<ImageInput> images, String method, List<String> layers,
        String target, Map<String, String> options, boolean augSmooth, boolean eigenSmooth, Progress progress,
        boolean originalSize, LayerAggregation aggregation) {

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
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
        progress = progress == null ? Progress.NONE : progress;
    }

    /**
     * A request with the method's layer aggregation.
     *
     * @param model        a registered model name or descriptor path
     * @param images       the images
     * @param method       the method
     * @param layers       the target layers
     * @param target       the target spec
     * @param options      the method's options
     * @param augSmooth    whether to average over flips and scalings
     * @param eigenSmooth  whether to take the first principal component
     * @param progress     receives progress
     * @param originalSize whether to explain at each image's own size
     * @since 0.3
     */
    public ExplainRequest(String model, List<ImageInput> images, String method, List<String> layers,
            String target, Map<String, String> options, boolean augSmooth, boolean eigenSmooth, Progress progress,
            boolean originalSize) {
        this(model, images, method, layers, target, options, augSmooth, eigenSmooth, progress, originalSize, null);
    }

    /**
     * A request with no options, no smoothing and no progress listener.
     *
     * @param model  a registered model name or descriptor path
     * @param images the images
     * @param method the method
     * @param layers the target layers
     * @param target the target spec
     */
    public ExplainRequest(String model, List<ImageInput> images, String method, List<String> layers,
            String target) {
        this(model, images, method, layers, target, Map.of(), false, false, Progress.NONE, false);
    }

    /**
     * A request at the model's input size.
     *
     * @param model       a registered model name or descriptor path
     * @param images      the images
     * @param method      the method
     * @param layers      the target layers
     * @param target      the target spec
     * @param options     the method's options
     * @param augSmooth   whether to average over flips and scalings
     * @param eigenSmooth whether to take the first principal component
     * @param progress    receives progress
     * @since 0.2
     */
    public ExplainRequest(String model, List<ImageInput> images, String method, List<String> layers,
            String target, Map<String, String> options, boolean augSmooth, boolean eigenSmooth, Progress progress) {
        this(model, images, method, layers, target, options, augSmooth, eigenSmooth, progress, false);
    }

    /**
     * @param other a method name
     * @return this request with another method (and the same options)
     * @since 0.2
     */
    public ExplainRequest withMethod(String other) {
        return new ExplainRequest(model, images, other, layers, target, options, augSmooth, eigenSmooth, progress,
                originalSize, aggregation);
    }

    /**
     * @param others images
     * @return this request for those images instead (everything else the same)
     * @since 0.8
     */
    public ExplainRequest withImages(List<ImageInput> others) {
        return new ExplainRequest(model, others, method, layers, target, options, augSmooth, eigenSmooth, progress,
                originalSize, aggregation);
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
        private final Map<String, String> options = new TreeMap<>();
        private boolean augSmooth;
        private boolean eigenSmooth;
        private Progress progress = Progress.NONE;
        private boolean originalSize;
        private LayerAggregation aggregation;

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

        /**
         * @param name  a method option, e.g. {@code batch-size}
         * @param value its value
         * @return this builder
         * @since 0.2
         */
        public Builder option(String name, String value) {
            options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param on whether to average over flips and input scalings
         * @return this builder
         * @since 0.2
         */
        public Builder augSmooth(boolean on) {
            this.augSmooth = on;
            return this;
        }

        /**
         * @param on whether to take the first principal component instead of the channel sum
         * @return this builder
         * @since 0.2
         */
        public Builder eigenSmooth(boolean on) {
            this.eigenSmooth = on;
            return this;
        }

        /**
         * @param listener receives progress of long methods
         * @return this builder
         * @since 0.2
         */
        public Builder progress(Progress listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param on whether to explain at each image's own size rather than the model's input size
         * @return this builder
         * @since 0.3
         */
        public Builder originalSize(boolean on) {
            this.originalSize = on;
            return this;
        }

        /**
         * @param how how several layers' maps become one; null for the method's default
         * @return this builder
         * @since 0.5
         */
        public Builder aggregation(LayerAggregation how) {
            this.aggregation = how;
            return this;
        }

        /** @return the request */
        public ExplainRequest build() {
            return new ExplainRequest(model, images, method, layers, target, options, augSmooth, eigenSmooth,
                    progress, originalSize, aggregation);
        }
    }
}
