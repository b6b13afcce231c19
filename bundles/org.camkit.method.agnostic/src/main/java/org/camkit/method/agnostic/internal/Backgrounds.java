package org.camkit.method.agnostic.internal;

import java.util.List;
import java.util.Locale;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Superpixels;

/**
 * What an absent superpixel shows, in the model's normalised input space: {@code mean} (each segment's mean colour,
 * lime_image's default {@code hide_color=None}), {@code blur} (a Gaussian blur of the image with
 * {@code sigma = max(1, min(H, W) / 32)}, 7 px at 224) or a constant colour {@code R,G,B} in pixel values 0 to 255
 * (lime's {@code hide_color}). Means and blur are linear, so computing them on the normalised input equals computing
 * them on the pixels and normalising.
 */
final class Backgrounds {

    static final String MEAN = "mean";
    static final String BLUR = "blur";
    static final String CHOICES = "mean, blur or a colour R,G,B in pixel values 0 to 255 (e.g. 0,0,0)";

    private Backgrounds() {
    }

    /**
     * @param spec   the option's value
     * @param image  one normalised image {@code [3, H, W]}
     * @param model  the model (mean, std, channel order)
     * @param sp     the image's superpixels
     * @return the background {@code [3, H, W]}
     */
    static float[] of(String method, String option, String spec, float[] image, int height, int width,
            ModelDescriptor model, Superpixels sp) {
        String value = spec.trim().toLowerCase(Locale.ROOT);
        if (value.equals(MEAN)) {
            return segmentMeans(image, height * width, sp);
        }
        if (value.equals(BLUR)) {
            return GaussianBlur.blur(image, height, width, blurSigma(height, width));
        }
        return colour(method, option, spec, height * width, model);
    }

    /** @return the blur's sigma in pixels: {@code max(1, min(H, W) / 32)} */
    static double blurSigma(int height, int width) {
        return Math.max(1, Math.min(height, width) / 32.0);
    }

    static float[] segmentMeans(float[] image, int pixels, Superpixels sp) {
        int[][] members = sp.members();
        float[] out = new float[image.length];
        for (int b = 0; b < 3; b++) {
            for (int[] segment : members) {
                double sum = 0;
                for (int p : segment) {
                    sum += image[b * pixels + p];
                }
                float mean = (float) (sum / segment.length);
                for (int p : segment) {
                    out[b * pixels + p] = mean;
                }
            }
        }
        return out;
    }

    private static float[] colour(String method, String option, String spec, int pixels, ModelDescriptor model) {
        String[] parts = spec.split(",");
        float[] rgb = new float[3];
        boolean valid = parts.length == 3;
        for (int c = 0; valid && c < 3; c++) {
            try {
                rgb[c] = Float.parseFloat(parts[c].trim());
                valid = rgb[c] >= 0 && rgb[c] <= 255;
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new CamException(CamException.Kind.INVALID, "method '" + method + "': option '" + option
                    + "' must be " + CHOICES + ", got '" + spec + "'", option, List.of());
        }
        float[] normalised = Pixels.normalised(rgb, model);
        float[] out = new float[3 * pixels];
        for (int c = 0; c < 3; c++) {
            java.util.Arrays.fill(out, c * pixels, (c + 1) * pixels, normalised[c]);
        }
        return out;
    }

    /** @return the image's pixels as RGB planes in [0, 1], the normalisation undone, for SLIC */
    static float[] rgb(float[] image, int pixels, ModelDescriptor model) {
        boolean bgr = "BGR".equals(model.channelOrder());
        float[] mean = model.mean();
        float[] std = model.std();
        float[] out = new float[3 * pixels];
        for (int c = 0; c < 3; c++) {
            int to = (bgr ? 2 - c : c) * pixels;
            for (int p = 0; p < pixels; p++) {
                out[to + p] = image[c * pixels + p] * std[c] + mean[c];
            }
        }
        return out;
    }
}
