package org.camkit.spi;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A metric that judges class activation maps: how faithful a map is to the model (perturb the input as the map
 * says, score the result) or how well it localises annotated objects. Registered as a service named with
 * {@link org.camkit.spi.propertytypes.Metric}, hot-deployable like methods.
 *
 * <p>It gets the batch's preprocessed input, the finished maps (at input size, in [0, 1]), the target scores of the
 * unperturbed images, ground truth where the metric needs it, and a {@link MetricProbe} that scores perturbed inputs
 * with the request's target; it returns named values per image and, where it has them, curves.
 *
 * @since 1.2
 */
@ConsumerType
public interface CamMetric {

    /** @return one line saying what the metric measures and which way is better, for listings */
    String description();

    /**
     * @return the options the metric reads from {@link MetricData#options()}, each with a one-line description that
     *         includes its default; requests with other options are refused
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /** @return whether the metric compares maps with ground-truth regions (boxes or masks) */
    default boolean needsGroundTruth() {
        return false;
    }

    /**
     * @param data the batch, its maps, targets, ground truth and options, and the probe into the model
     * @return per image the metric's values, never null
     * @throws org.camkit.api.CamException if an option is malformed or an image lacks what the metric needs (the
     *                                     message names the option or the image)
     */
    MetricValues score(MetricData data);
}
