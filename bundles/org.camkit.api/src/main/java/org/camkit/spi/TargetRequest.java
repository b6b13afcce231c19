package org.camkit.spi;

import java.util.Objects;

/**
 * Input to {@link TargetResolver#resolve}.
 *
 * @param argument the text after {@code name:} in the target spec; empty when there was none
 * @param output   the model output for one image {@code [K]}
 * @param model    the model's descriptor (for labels)
 * @since 0.1
 */
public record TargetRequest(String argument, float[] output, ModelDescriptor model) {

    /** Validates and copies. */
    public TargetRequest {
        argument = argument == null ? "" : argument;
        output = output.clone();
        Objects.requireNonNull(model, "model");
    }

    /** @return a copy of the output */
    @Override
    public float[] output() {
        return output.clone();
    }
}
