package org.camkit.backend.tensorflow.internal;

import org.camkit.spi.Tensor;
import org.tensorflow.GraphOperation;

// FullGrad's bias terms of one BiasAdd: bias[c] * dScore/dOutput[n, c, ...], in camkit's [N, C, h, w].
final class BiasTerms {

    private BiasTerms() {
    }

    /** @return whether a BiasAdd adds along axis 1 (data_format NCHW) rather than the last axis */
    static boolean channelsFirst(GraphOperation biasAdd) {
        return "NCHW".equals(biasAdd.attributes().getAttrString("data_format"));
    }

    /** @return whether bias terms can be formed at a BiasAdd whose output has this rank */
    static boolean supports(int rank) {
        return rank == 2 || rank == 4;
    }

    /**
     * @param bias          the bias {@code [C]}
     * @param gradient      the gradient at the BiasAdd's output, {@code [N, C]} or 4-d in the op's data format
     * @param channelsFirst whether a 4-d gradient is {@code [N, C, h, w]} (else {@code [N, h, w, C]})
     * @return {@code [N, C, h, w]}; a 2-d gradient gives {@code [N, C, 1, 1]}
     */
    static Tensor of(Tensor bias, Tensor gradient, boolean channelsFirst) {
        if (!supports(gradient.rank())) {
            throw new IllegalStateException("bias terms need a gradient [N, C] or 4-d, got " + gradient);
        }
        Tensor g = gradient.rank() == 2
                ? gradient.reshape(gradient.dim(0), gradient.dim(1), 1, 1)
                : channelsFirst ? gradient : Layout.nhwcToNchw(gradient);
        int channels = g.dim(1);
        if (bias.rank() != 1 || bias.dim(0) != channels) {
            throw new IllegalStateException("a bias " + bias + " does not match " + channels + " channels");
        }
        float[] data = g.toArray();
        int area = g.dim(2) * g.dim(3);
        for (int i = 0; i < data.length; i++) {
            data[i] *= bias.get((i / area) % channels);
        }
        return Tensor.of(data, g.shape());
    }
}
