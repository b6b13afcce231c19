package org.camkit.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link CamMethod} sees of one target layer for a batch.
 *
 * @param layer       the layer's name; null for a method that does not require {@link Capability#ACTIVATIONS}
 * @param activations activations {@code [N, C, h, w]}; null when {@code layer} is
 * @param gradients   gradients of the target scores at the layer, shaped like the activations; null when the
 *                    method does not require {@link Capability#GRADIENTS}
 * @param scores      the target score per image {@code [N]}
 * @param probe       further access to the model and the targets (perturbed passes, input gradients, the head)
 * @param options     the request's method options, already checked against {@link CamMethod#options()}
 * @since 0.1
 */
public record LayerData(String layer, Tensor activations, Tensor gradients, float[] scores, ModelProbe probe,
        Map<String, String> options) {

    /** Validates and copies. */
    public LayerData {
        if ((layer == null) != (activations == null)) {
            throw new IllegalArgumentException("a layer and its activations come together");
        }
        if (activations != null && activations.rank() != 4) {
            throw new IllegalArgumentException("layer '" + layer + "': CAM methods need [N, C, h, w] activations, got "
                    + activations);
        }
        if (gradients != null && (activations == null
                || !java.util.Arrays.equals(gradients.shape(), activations.shape()))) {
            throw new IllegalArgumentException("layer '" + layer + "': gradients " + gradients
                    + " do not match activations " + activations);
        }
        scores = scores.clone();
        Objects.requireNonNull(probe, "probe");
        options = Map.copyOf(options);
    }

    /** @return a copy of the target scores */
    @Override
    public float[] scores() {
        return scores.clone();
    }

    /**
     * @param name    an option name from {@link CamMethod#options()}
     * @param fallback the default
     * @return the option as an int
     * @throws org.camkit.api.CamException if it is not an integer
     */
    public int intOption(String name, int fallback) {
        return Options.intValue(options, name, fallback);
    }

    /**
     * @param name    an option name from {@link CamMethod#options()}
     * @param fallback the default
     * @return the option as a double
     * @throws org.camkit.api.CamException if it is not a number
     */
    public double doubleOption(String name, double fallback) {
        return Options.doubleValue(options, name, fallback);
    }
}
