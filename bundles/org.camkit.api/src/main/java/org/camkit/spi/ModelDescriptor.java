package org.camkit.spi;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What camkit knows about a model before loading it: read from a JSON descriptor next to the model file.
 *
 * @param name         the model's registered name, never empty
 * @param backend      the name of the {@link ModelBackend} that loads it, e.g. {@code pytorch}
 * @param file         the model file (weights or serialized model), absolute
 * @param architecture for backends that build the network in code, its architecture id; may be empty
 * @param inputWidth   input width in pixels the model expects
 * @param inputHeight  input height in pixels the model expects
 * @param mean         per input channel (in {@code channelOrder}) mean subtracted from pixels scaled to [0, 1]
 * @param std          per input channel standard deviation the centred pixels are divided by
 * @param labels       class labels by output index; may be empty
 * @param defaultLayer the target layer used when a request names none
 * @param properties   further backend-specific settings; never null
 * @param channelOrder the order of the input channels the model expects: {@code RGB} or {@code BGR}
 * @param tokens       for token layouts (vision transformers), how a layer's tokens fold into a map; null for
 *                     convolutional layers
 * @param detection    for detectors ({@code "task": "detection"}), how the output holds the boxes; null for other
 *                     models (since 1.4)
 * @since 0.1
 */
public record ModelDescriptor(String name, String backend, Path file, String architecture, int inputWidth,
        int inputHeight, float[] mean, float[] std, List<String> labels, String defaultLayer,
        Map<String, String> properties, String channelOrder, TokenGrid tokens, DetectionLayout detection) {

    /** The channel orders a model may expect. */
    public static final List<String> CHANNEL_ORDERS = List.of("RGB", "BGR");

    /** Validates and copies. */
    public ModelDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(file, "file");
        architecture = architecture == null ? "" : architecture;
        if (inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("model '" + name + "': input size must be positive, got "
                    + inputWidth + "x" + inputHeight);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("model '" + name + "': mean and std need 3 values (R, G, B)");
        }
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("model '" + name + "': mean " + Arrays.toString(mean)
                        + " must be finite numbers (the training set's channel means, e.g. 0.485, 0.456, 0.406)");
            }
            if (!(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("model '" + name + "': std " + Arrays.toString(std)
                        + " must be finite numbers above 0 (the training set's channel standard deviations, e.g. "
                        + "0.229, 0.224, 0.225; 1, 1, 1 for none)");
            }
        }
        mean = mean.clone();
        std = std.clone();
        labels = List.copyOf(labels);
        properties = Map.copyOf(properties);
        channelOrder = channelOrder == null || channelOrder.isBlank() ? "RGB" : channelOrder.trim().toUpperCase();
        if (!CHANNEL_ORDERS.contains(channelOrder)) {
            throw new IllegalArgumentException("model '" + name + "': channel order must be one of "
                    + CHANNEL_ORDERS + ", got " + channelOrder);
        }
    }

    /**
     * A model that is not a detector.
     *
     * @param name         the model's name
     * @param backend      its backend
     * @param file         its file
     * @param architecture its architecture id, or empty
     * @param inputWidth   input width
     * @param inputHeight  input height
     * @param mean         channel means
     * @param std          channel standard deviations
     * @param labels       class labels
     * @param defaultLayer the default target layer
     * @param properties   backend settings
     * @param channelOrder {@code RGB} or {@code BGR}
     * @param tokens       the token layout, or null
     */
    public ModelDescriptor(String name, String backend, Path file, String architecture, int inputWidth,
            int inputHeight, float[] mean, float[] std, List<String> labels, String defaultLayer,
            Map<String, String> properties, String channelOrder, TokenGrid tokens) {
        this(name, backend, file, architecture, inputWidth, inputHeight, mean, std, labels, defaultLayer, properties,
                channelOrder, tokens, null);
    }

    /**
     * An RGB model without a token layout.
     *
     * @param name         the model's name
     * @param backend      its backend
     * @param file         its file
     * @param architecture its architecture id, or empty
     * @param inputWidth   input width
     * @param inputHeight  input height
     * @param mean         R, G, B means
     * @param std          R, G, B standard deviations
     * @param labels       class labels
     * @param defaultLayer the default target layer
     * @param properties   backend settings
     */
    public ModelDescriptor(String name, String backend, Path file, String architecture, int inputWidth,
            int inputHeight, float[] mean, float[] std, List<String> labels, String defaultLayer,
            Map<String, String> properties) {
        this(name, backend, file, architecture, inputWidth, inputHeight, mean, std, labels, defaultLayer, properties,
                "RGB", null, null);
    }

    /**
     * @param width  input width in pixels, positive
     * @param height input height in pixels, positive
     * @return this model at another input size (for networks that take any size, e.g. fully convolutional ones)
     * @since 1.0
     */
    public ModelDescriptor withInputSize(int width, int height) {
        return new ModelDescriptor(name, backend, file, architecture, width, height, mean, std, labels, defaultLayer,
                properties, channelOrder, tokens, detection);
    }

    /** @return a copy of the channel means */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** @return a copy of the channel standard deviations */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * @return the number of classes: the number of labels, or else the positive integer property {@code classes}
     * @throws org.camkit.api.CamException if there are no labels and no valid {@code classes} property
     * @since 0.2
     */
    public int classes() {
        if (!labels.isEmpty()) {
            return labels.size();
        }
        String value = properties.get("classes");
        try {
            int classes = Integer.parseInt(value == null ? "" : value.trim());
            if (classes > 0) {
                return classes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new org.camkit.api.CamException("model '" + name + "' has no labels and no positive \"classes\" "
                + "property (got " + value + "): give its labels or the number of classes");
    }

    /**
     * For backends, at load: a model whose labels do not match its output would name the wrong class for every
     * prediction.
     *
     * @param classes the classes of the model's output as the backend found it (a classifier's outputs, a
     *                segmentation's maps)
     * @throws org.camkit.api.CamException if the descriptor lists labels and not that many, naming both and the fix
     * @since 1.1
     */
    public void checkLabels(long classes) {
        if (!labels.isEmpty() && labels.size() != classes) {
            throw new org.camkit.api.CamException("model '" + name + "': its descriptor lists " + labels.size()
                    + " labels " + labels.subList(0, Math.min(3, labels.size())) + (labels.size() > 3 ? "..." : "")
                    + " but the model outputs " + classes + " classes; give one label per output class, in output "
                    + "order");
        }
    }

    /**
     * For backends, at load: checks one image's output shape as the backend found it against the descriptor: a
     * detector's against its {@link #detection()} layout, another model's first axis against its labels
     * ({@link #checkLabels}).
     *
     * @param shape one image's output shape (without the batch axis); nothing is checked when empty or when an axis
     *              is not known ({@code < 0})
     * @throws org.camkit.api.CamException naming the model, the shapes and the fix
     * @since 1.4
     */
    public void checkOutput(long[] shape) {
        if (shape.length == 0 || java.util.Arrays.stream(shape).anyMatch(d -> d < 0 || d > Integer.MAX_VALUE)) {
            return;
        }
        if (detection != null) {
            detection.columns(java.util.Arrays.stream(shape).mapToInt(d -> (int) d).toArray(), this);
        } else {
            checkLabels(shape[0]);
        }
    }

    /**
     * @param index an output index
     * @return the label of that output, or the index as text if the model has no label for it; empty for -1
     */
    public String label(int index) {
        if (index < 0) {
            return "";
        }
        return index < labels.size() ? labels.get(index) : String.valueOf(index);
    }
}
