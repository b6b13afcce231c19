package org.camkit.method.agnostic.internal;

import org.camkit.spi.ModelProbe;
import org.camkit.spi.Superpixels;
import org.camkit.spi.Tensor;

/**
 * One image cut into superpixels, and the model's scores of its coalitions: in a coalition {@code z} in
 * {@code {0,1}^M}, a present segment ({@code z_m = 1}) shows the image and an absent one the background. The
 * segment index lists are built once; coalitions are scored in batches of perturbed copies through
 * {@link ModelProbe#scoreInputs}, with one progress report per batch.
 */
final class Coalitions {

    private final int image;
    private final float[] pixels;
    private final float[] background;
    private final int[][] members;
    private final Superpixels superpixels;
    private final int height;
    private final int width;

    /**
     * @param image       the image's index in the batch
     * @param pixels      the normalised image {@code [3, H, W]}
     * @param background  what absent segments show {@code [3, H, W]}
     * @param superpixels the image's segmentation
     */
    Coalitions(int image, float[] pixels, float[] background, Superpixels superpixels) {
        this.image = image;
        this.pixels = pixels;
        this.background = background;
        this.superpixels = superpixels;
        this.members = superpixels.members();
        this.height = superpixels.height();
        this.width = superpixels.width();
    }

    /**
     * Cuts one image of the probe's input into SLIC superpixels (on its pixels, the normalisation undone) and
     * builds its background.
     *
     * @param segments   the number of segments asked for
     * @param option     the option that names the background, for errors
     * @param background its value, see {@link Backgrounds}
     */
    static Coalitions of(ModelProbe probe, int image, int segments, String method, String option,
            String background) {
        Tensor input = probe.input();
        int height = input.dim(2);
        int width = input.dim(3);
        int size = 3 * height * width;
        float[] pixels = new float[size];
        input.copyTo(image * size, pixels, 0, size);
        Superpixels sp = Superpixels.slic(Backgrounds.rgb(pixels, height * width, probe.model()), height, width,
                segments);
        return new Coalitions(image, pixels,
                Backgrounds.of(method, option, background, pixels, height, width, probe.model(), sp), sp);
    }

    /** @return the number of superpixels {@code M} */
    int segments() {
        return members.length;
    }

    /** @return the segmentation */
    Superpixels superpixels() {
        return superpixels;
    }

    /**
     * @param rows    the coalitions, each {@code M} long
     * @param batch   rows per forward pass
     * @param counter the request's batch counter
     * @return the target score of each coalition
     */
    double[] score(ModelProbe probe, boolean[][] rows, int batch, Batches counter) {
        int size = pixels.length;
        int plane = height * width;
        double[] scores = new double[rows.length];
        float[] inputs = new float[Math.min(batch, rows.length) * size];
        for (int start = 0; start < rows.length; start += batch) {
            int count = Math.min(batch, rows.length - start);
            if (count * size != inputs.length) {
                inputs = new float[count * size];
            }
            for (int r = 0; r < count; r++) {
                boolean[] z = rows[start + r];
                int offset = r * size;
                System.arraycopy(pixels, 0, inputs, offset, size);
                for (int m = 0; m < z.length; m++) {
                    if (!z[m]) {
                        for (int b = 0; b < 3; b++) {
                            int from = b * plane;
                            for (int p : members[m]) {
                                inputs[offset + from + p] = background[from + p];
                            }
                        }
                    }
                }
            }
            float[] s = probe.scoreInputs(image, Tensor.of(inputs, count, 3, height, width));
            if (s.length != count) {
                throw new IllegalStateException("the model probe returned " + s.length + " scores for " + count
                        + " inputs");
            }
            for (int r = 0; r < count; r++) {
                scores[start + r] = s[r];
            }
            counter.done();
        }
        return scores;
    }

    /** @return {@code [H, W]}: each pixel's segment value */
    float[] paint(double[] perSegment) {
        float[] map = new float[height * width];
        for (int p = 0; p < map.length; p++) {
            map[p] = (float) perSegment[superpixels.label(p)];
        }
        return map;
    }

    /** The request's batch counter: reports "batches done / total" to the probe, which also checks for cancel. */
    static final class Batches {
        private final ModelProbe probe;
        private final int total;
        private int done;

        Batches(ModelProbe probe, int total) {
            this.probe = probe;
            this.total = total;
        }

        /** @return how many batches hold {@code rows} rows */
        static int of(int rows, int batch) {
            return (rows + batch - 1) / batch;
        }

        void done() {
            probe.progress(++done, total);
        }
    }
}
