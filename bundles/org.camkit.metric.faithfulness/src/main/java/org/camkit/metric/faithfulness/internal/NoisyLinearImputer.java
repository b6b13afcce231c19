package org.camkit.metric.faithfulness.internal;

import java.util.Arrays;
import java.util.Random;

/**
 * ROAD's noisy linear imputation (Rong et al., "A Consistent and Efficient Evaluation Strategy for Attribution
 * Methods", ICML 2022, arXiv:2202.00449, sec. 4): every removed pixel takes the weighted mean of its in-image
 * 8-neighbours, with weight 1/6 for the 4 edge and 1/12 for the 4 diagonal neighbours, normalised by the weight of the
 * neighbours that lie inside the image; then Gaussian noise is added. Removed neighbours are unknowns, so this is one
 * sparse linear system per image, shared by all channels.
 *
 * <p>The system {@code (D - W) x = b} (D the in-image weight sums, W the weights between removed pixels, b the
 * weighted known neighbours) is symmetric and positive definite on every 8-connected group of removed pixels that
 * touches a known pixel, which is every group unless no pixel is known (a group's in-image neighbours outside it are
 * known, by maximality). It is solved matrix-free on the 8-neighbour stencil by conjugate gradients in double
 * precision, all channels at once, to a relative residual of {@value #TOLERANCE} per channel, preconditioned by an
 * aggregation multigrid V-cycle (Jacobi preconditioning needs ~30 times more iterations on large holes). With no known
 * pixel at all the values are undetermined: camkit gives every pixel 0, the mean colour of normalised input (the
 * reference's sparse LU happens to return 0 too, but NaN with a singular-matrix warning for a 1x1 image).
 */
public final class NoisyLinearImputer {

    /** Relative residual {@code ||b - Ax|| / ||b||} at which a channel's solve stops. */
    static final double TOLERANCE = 1e-8;


    private NoisyLinearImputer() {
    }

    /**
     * Imputes the removed pixels of one image.
     *
     * @param image    the model input, {@code channels x height x width} row-major; not modified
     * @param channels number of channels, at least 1
     * @param height   image height, at least 1
     * @param width    image width, at least 1
     * @param keep     {@code keep[y * width + x]} is true where the pixel is known, false where it is removed
     * @param noise    standard deviation of the Gaussian noise added to every imputed value; 0 draws nothing
     * @param random   source of the noise, drawn channel by channel over the removed pixels in row-major order;
     *                 may be null when {@code noise} is 0
     * @return a new array: known pixels copied, removed pixels imputed (0 plus noise when no pixel is known)
     */
    public static float[] impute(float[] image, int channels, int height, int width, boolean[] keep, double noise,
            Random random) {
        validate(image, channels, height, width, keep, noise, random);
        float[] result = image.clone();
        int[] unknowns = removedPixels(keep);
        if (unknowns.length == keep.length) {
            Arrays.fill(result, 0f);
        } else if (unknowns.length > 0) {
            ImputationLevel system = ImputationLevel.pixels(channels, height, width, keep, unknowns);
            double[] solution = ConjugateGradient.solve(system,
                    ImputationLevel.knownNeighbourSums(image, channels, height, width, keep, unknowns));
            for (int i = 0; i < unknowns.length; i++) {
                for (int c = 0; c < channels; c++) {
                    result[c * height * width + unknowns[i]] = (float) solution[i * channels + c];
                }
            }
        }
        addNoise(result, channels, keep, noise, random);
        return result;
    }

    private static void validate(float[] image, int channels, int height, int width, boolean[] keep, double noise,
            Random random) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " must be at least 1x1x1");
        }
        if (image == null || image.length != (long) channels * height * width) {
            throw new IllegalArgumentException("image has " + (image == null ? "no" : image.length) + " values; shape "
                    + channels + "x" + height + "x" + width + " needs " + (long) channels * height * width);
        }
        if (keep == null || keep.length != height * width) {
            throw new IllegalArgumentException("keep mask has " + (keep == null ? "no" : keep.length)
                    + " entries; a " + height + "x" + width + " image needs " + height * width);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise " + noise + " must be a finite value >= 0");
        }
        if (noise > 0 && random == null) {
            throw new IllegalArgumentException("noise " + noise + " needs a Random; pass one or set noise to 0");
        }
    }

    /** The removed pixels, row-major. */
    private static int[] removedPixels(boolean[] keep) {
        int count = 0;
        for (boolean known : keep) {
            count += known ? 0 : 1;
        }
        int[] removed = new int[count];
        int n = 0;
        for (int p = 0; p < keep.length; p++) {
            if (!keep[p]) {
                removed[n++] = p;
            }
        }
        return removed;
    }

    private static void addNoise(float[] result, int channels, boolean[] keep, double noise, Random random) {
        if (noise == 0) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < keep.length; p++) {
                if (!keep[p]) {
                    result[c * keep.length + p] += (float) (noise * random.nextGaussian());
                }
            }
        }
    }
}
