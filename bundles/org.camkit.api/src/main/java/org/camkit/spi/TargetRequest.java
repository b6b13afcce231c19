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
 * @since 0.1
 */
public record TargetRequest(String argument, float[] output, ModelDescriptor model, float[] reference) {

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
    }

    /**
     * A request for the image itself.
     *
     * @param argument the spec's argument
     * @param output   the image's output
     * @param model    the model's descriptor
     */
    public TargetRequest(String argument, float[] output, ModelDescriptor model) {
        this(argument, output, model, null);
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
