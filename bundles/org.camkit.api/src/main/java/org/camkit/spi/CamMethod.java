package org.camkit.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.api.LayerAggregation;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A class-activation-map method. Registered as a service named with {@link org.camkit.spi.propertytypes.Method}.
 *
 * <p>It implements only its own step, the way each pytorch-grad-cam method overrides only its weighting: from one
 * layer's activations (and gradients, and whatever else {@link #requires()} names, reached through
 * {@link LayerData#probe()}) it returns per-channel contributions. The core sums or projects them (eigen-smooth),
 * applies ReLU, per-layer min-max normalisation, upsampling to the input size, multi-layer aggregation and
 * aug-smooth.
 *
 * <p>A method that does not require {@link Capability#ACTIVATIONS} works on the input, not on a layer (occlusion,
 * FullGrad, guided backpropagation); it is called once per request with no layer.
 *
 * @since 0.1
 */
@ConsumerType
public interface CamMethod {

    /**
     * @return what the method needs from the model; by default activations and gradients
     */
    default Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS);
    }

    /**
     * @return the options the method reads from {@link LayerData#options()}, each with a one-line description that
     *         includes its default; requests with other options are refused
     * @since 0.2
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * @return the target spec the method explains when a request names none (e.g. {@code finer} for FinerCAM, which
     *         is Grad-CAM with that target); empty (the default) for the core's default, the predicted class
     * @since 1.2
     */
    default String defaultTarget() {
        return "";
    }

    /**
     * @return how the core combines the maps of several target layers when a request does not say (e.g.
     *         {@link LayerAggregation#PRODUCT} for RefineCAM); {@link LayerAggregation#MEAN}
     *         by default
     * @since 1.3
     */
    default LayerAggregation aggregation() {
        return LayerAggregation.MEAN;
    }

    /**
     * @param data one layer's activations, gradients, target scores and options, and the probe into the model
     * @return the maps for the batch, never null
     * @throws org.camkit.api.CamException if an option is malformed (the message names it and the valid values)
     */
    CamMaps compute(LayerData data);

    /**
     * The method's own picture of each image, made once the maps are finished: e.g. guided backpropagation's gradient
     * image, or Guided Grad-CAM's product of it with the map. Shown instead of an overlay.
     *
     * @param probe the request's probe (input, gradients)
     * @param maps  the finished maps {@code [N, H, W]} at input size, in [0, 1]
     * @return the pictures {@code [N, 3, H, W]}, or empty (the default) when the map itself is the result
     * @since 1.0
     */
    default Optional<Tensor> picture(ModelProbe probe, Tensor maps) {
        return Optional.empty();
    }
}
