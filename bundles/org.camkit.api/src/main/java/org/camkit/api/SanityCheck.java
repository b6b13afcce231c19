package org.camkit.api;

import java.util.List;

/**
 * The model-randomisation sanity check (Adebayo et al., 2018): each method's maps on the trained model compared with
 * its maps on copies whose layers are re-initialised from the top down, one more layer at each step, by Spearman's
 * rank correlation (mean over the images). A method faithful to the model decorrelates as the layers go; one that
 * shows the image rather than the model (an edge detector) would not.
 *
 * @param model       the model's name
 * @param target      the target spec (fixed on each image's output of the trained model)
 * @param steps       per step, the layers re-initialised, the output side first
 * @param methods     the methods, in request order
 * @param correlation per method (outer) and step (inner), the mean Spearman correlation over the images whose map
 *                    on the trained model is not flat; a map that comes out flat (constant) on the copy shares no
 *                    ranking and counts as 0; {@code NaN} when every map on the trained model is flat
 * @param images      the number of images
 * @param seed        the seed of the random weights
 * @since 0.4
 */
public record SanityCheck(String model, String target, List<List<String>> steps, List<String> methods,
        List<List<Double>> correlation, int images, long seed) {

    /** Copies. */
    public SanityCheck {
        steps = steps.stream().map(List::copyOf).toList();
        methods = List.copyOf(methods);
        correlation = correlation.stream().map(List::copyOf).toList();
    }
}
