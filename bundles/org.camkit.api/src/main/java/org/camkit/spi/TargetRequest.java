package org.camkit.spi;

import java.util.Objects;

/**
 * Input to {@link TargetResolver#resolve}.
 *
 * @param argument  the text after {@code name:} in the target spec; empty when there was none
 * @param output    the model output to score {@code [K]}
 * @param model     the model's descriptor (for labels)
 * @param reference the output of the unperturbed image {@code [K]}: what a target fixes on (the predicted class,
 *                  a predicted mask) when {@code output} comes from a perturbed or augmented copy; equals
 *                  {@code output} for the image itself
 * @param shape     the shape of one image's output, e.g. {@code [K]} for a classifier, {@code [K, H, W]} for
 *                  segmentation; its product is {@code output.length}
 * @since 0.1
 */
public record TargetRequest(String argument, float[] output, ModelDescriptor model, float[] reference, int[] shape) {

    /** Validates and copies. */
    public TargetRequest {
        argument = argument == null ? "" : argument;
        output = output.clone();
        Objects.requireNonNull(model, "model");
        reference = reference == null ? output.clone() : reference.clone();
        if (reference.length != output.length) {
            throw new IllegalArgumentException("reference output has " + reference.length + " values, output "
                    + output.length);
        }
        shape = shape == null ? new int[] {output.length} : shape.clone();
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != output.length) {
            throw new IllegalArgumentException("output shape " + java.util.Arrays.toString(shape) + " does not hold "
                    + output.length + " values");
        }
    }

    /**
     * A request for a vector output.
     *
     * @param argument  the spec's argument
     * @param output    the output to score
     * @param model     the model's descriptor
     * @param reference the unperturbed image's output, or null for the output itself
     */
    public TargetRequest(String argument, float[] output, ModelDescriptor model, float[] reference) {
        this(argument, output, model, reference, null);
    }

    /** @return a copy of the per-image output shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * A request for the image itself.
     *
     * @param argument the spec's argument
     * @param output   the image's output
     * @param model    the model's descriptor
     */
    public TargetRequest(String argument, float[] output, ModelDescriptor model) {
        this(argument, output, model, null, null);
    }

    /** @return a copy of the output */
    @Override
    public float[] output() {
        return output.clone();
    }

    /** @return a copy of the reference output */
    @Override
    public float[] reference() {
        return reference.clone();
    }
}
