package org.camkit.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded model's back-propagation of a gradient seed to its input, in one of three roles
 * ({@link LoadedModel#inputBackward()}, {@link LoadedModel#biasBackward()}, {@link LoadedModel#guidedBackward()}):
 * plain, with FullGrad's bias terms, or with guided-backpropagation ReLUs.
 *
 * @since 1.0
 */
@ConsumerType
public interface InputBackward {

    /**
     * @param input preprocessed input {@code [N, 3, H, W]}
     * @param seed  d(score)/d(output), shaped like the output
     * @return the output, the gradient at the input and, for the bias role only, the bias terms; never null
     * @throws org.camkit.api.CamException if the seed's shape is not the output's
     */
    InputGradients backward(Tensor input, Tensor seed);
}
