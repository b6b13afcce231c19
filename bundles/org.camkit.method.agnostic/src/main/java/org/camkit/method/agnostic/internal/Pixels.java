package org.camkit.method.agnostic.internal;

import org.camkit.spi.ModelDescriptor;

/** Between the model's normalised input and 8-bit pixel values, per input channel in the model's channel order. */
final class Pixels {

    private Pixels() {
    }

    /** @return the 8-bit level of a normalised value of input channel {@code c}: round((v * std + mean) * 255) */
    static int level(float value, int c, ModelDescriptor model) {
        return Math.max(0, Math.min(255, Math.round((value * model.std()[c] + model.mean()[c]) * 255)));
    }

    /** @return the normalised value of an 8-bit level (0 to 255, not necessarily whole) of input channel {@code c} */
    static float normalised(float level, int c, ModelDescriptor model) {
        return (level / 255f - model.mean()[c]) / model.std()[c];
    }

    /** @return per input channel, in the model's order (RGB or BGR), the normalised value of an R,G,B colour */
    static float[] normalised(float[] rgb, ModelDescriptor model) {
        boolean bgr = "BGR".equals(model.channelOrder());
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = normalised(rgb[bgr ? 2 - c : c], c, model);
        }
        return out;
    }
}
