package org.camkit.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link CamMetric} sees of a batch.
 *
 * @param method  the method that made the maps
 * @param input   the preprocessed input {@code [N, 3, H, W]}, in the model's normalised space
 * @param maps    the maps {@code [N, H, W]} at input size, in [0, 1]
 * @param outputs per image, the model's output on the unperturbed input
 * @param scores  per image, the request's target score on the unperturbed input
 * @param classes per image, the class the target explains ({@code -1} when it names none)
 * @param truth   per image, its annotated objects at input size; empty lists when the request has no ground truth
 * @param probe   perturbed passes scored with the request's target, and the method run again
 * @param options the request's options for this metric, already checked against {@link CamMetric#options()}
 * @since 1.2
 */
public record MetricData(String method, Tensor input, Tensor maps, List<float[]> outputs, float[] scores,
        int[] classes, List<List<TruthRegion>> truth, MetricProbe probe, Map<String, String> options) {

    /** Validates and copies. */
    public MetricData {
        int n = input.dim(0);
        if (input.rank() != 4 || maps.rank() != 3 || maps.dim(0) != n || maps.dim(1) != input.dim(2)
                || maps.dim(2) != input.dim(3)) {
            throw new IllegalArgumentException("maps " + maps + " do not match the input " + input);
        }
        if (outputs.size() != n || scores.length != n || classes.length != n || truth.size() != n) {
            throw new IllegalArgumentException("outputs, scores, classes and truth need one entry per image (" + n
                    + ")");
        }
        outputs = List.copyOf(outputs);
        scores = scores.clone();
        classes = classes.clone();
        truth = truth.stream().map(List::copyOf).toList();
        Objects.requireNonNull(probe, "probe");
        options = Map.copyOf(options);
    }

    /** @return the number of images */
    public int images() {
        return input.dim(0);
    }

    /** @return a copy of the target scores */
    @Override
    public float[] scores() {
        return scores.clone();
    }

    /** @return a copy of the target classes */
    @Override
    public int[] classes() {
        return classes.clone();
    }

    /**
     * @param image an image index
     * @return that image's map, {@code H * W} values (a copy)
     */
    public float[] map(int image) {
        int plane = maps.dim(1) * maps.dim(2);
        float[] out = new float[plane];
        maps.copyTo(image * plane, out, 0, plane);
        return out;
    }

    /**
     * @param image an image index
     * @return that image's input, {@code 3 * H * W} values (a copy)
     */
    public float[] input(int image) {
        int size = input.size() / input.dim(0);
        float[] out = new float[size];
        input.copyTo(image * size, out, 0, size);
        return out;
    }

    /**
     * @param name     an option name from {@link CamMetric#options()}
     * @param fallback the default
     * @return the option as an int
     * @throws org.camkit.api.CamException if it is not an integer
     */
    public int intOption(String name, int fallback) {
        return Options.intValue(options, name, fallback);
    }

    /**
     * @param name     an option name from {@link CamMetric#options()}
     * @param fallback the default
     * @return the option as a double
     * @throws org.camkit.api.CamException if it is not a number
     */
    public double doubleOption(String name, double fallback) {
        return Options.doubleValue(options, name, fallback);
    }
}
