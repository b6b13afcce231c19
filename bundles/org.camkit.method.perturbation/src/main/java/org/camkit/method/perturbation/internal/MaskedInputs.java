package org.camkit.method.perturbation.internal;

import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;

/**
 * Score-CAM's step, shared by its variants: a channel's activation becomes a mask in [0, 1] at the input size, the
 * input times the mask is scored with the image's target, a batch of channels per forward pass. One instance serves
 * one {@code compute} call and counts its passes for {@link ModelProbe#progress}.
 */
final class MaskedInputs {

    /** How a channel becomes a mask at the input size; both min-max scale with the epsilon 1e-8. */
    enum Convention {
        /** pytorch-grad-cam's ScoreCAM: upsampled with aligned corners, then min-max scaled. */
        GRAD_CAM,
        /** torch-cam's ScoreCAM: min-max scaled at the layer's resolution, then upsampled with half-pixel centres. */
        TORCH_CAM
    }

    /** Changes a channel's mask before it multiplies the input (SS-CAM's noise); called in channel order. */
    @FunctionalInterface
    interface MaskEdit {
        void apply(float[] mask);
    }

    /** Both conventions' epsilon of the mask's min-max scaling (pytorch-grad-cam's and torch-cam's). */
    static final float MASK_EPS = 1e-8f;

    private final ModelProbe probe;
    private final String method;
    private final Convention convention;
    private final int batch;
    private final Tensor input;
    private final Tensor acts;
    private final BilinearUpsampler upsampler;
    private final int total;
    private int done;

    /**
     * @param data       the layer
     * @param method     the method's name, for messages
     * @param convention how masks are made
     * @param batch      masked inputs per forward pass
     * @param passes     calls of {@link #score} per image, for the progress total
     * @param channels   channels scored per call
     */
    MaskedInputs(LayerData data, String method, Convention convention, int batch, int passes, int channels) {
        this.probe = data.probe();
        this.method = method;
        this.convention = convention;
        this.batch = batch;
        this.input = probe.input();
        this.acts = data.activations();
        int h = acts.dim(2), w = acts.dim(3), height = input.dim(2), width = input.dim(3);
        this.upsampler = convention == Convention.GRAD_CAM ? BilinearUpsampler.alignedCorners(h, w, height, width)
                : BilinearUpsampler.halfPixel(h, w, height, width);
        this.total = acts.dim(0) * passes * Channels.batches(channels, batch);
    }

    /**
     * Scores {@code scale * (x * edit(mask_k))} for each channel {@code k} of {@code channels}, in that order: the
     * rows of a batch are computed as float products in that order, as torch does.
     *
     * @param image    the image index
     * @param channels the channels to score
     * @param scale    the factor of the masked input (1 for Score-CAM)
     * @param edit     the change of each mask before it multiplies the input, or null
     * @return the target score per channel of {@code channels}
     */
    float[] score(int image, int[] channels, float scale, MaskEdit edit) {
        int bands = input.dim(1), pixels = input.dim(2) * input.dim(3), area = acts.dim(2) * acts.dim(3);
        int c = acts.dim(1);
        float[] mask = new float[pixels];
        float[] low = convention == Convention.TORCH_CAM ? new float[area] : null;
        float[] scores = new float[channels.length];
        float[] masked = new float[Math.min(batch, channels.length) * bands * pixels];
        for (int start = 0; start < channels.length; start += batch) {
            int rows = Math.min(batch, channels.length - start);
            for (int r = 0; r < rows; r++) {
                int offset = (image * c + channels[start + r]) * area;
                if (low == null) {
                    upsampler.upsample(acts, offset, mask);
                    minMax(mask);
                } else {
                    acts.copyTo(offset, low, 0, area);
                    minMax(low);
                    upsampler.upsample(Tensor.of(low, area), 0, mask);
                }
                if (edit != null) {
                    edit.apply(mask);
                }
                for (int b = 0; b < bands; b++) {
                    int src = (image * bands + b) * pixels;
                    int dst = (r * bands + b) * pixels;
                    for (int p = 0; p < pixels; p++) {
                        masked[dst + p] = scale * (input.get(src + p) * mask[p]);
                    }
                }
            }
            // the last batch may be smaller: a fresh array of its rows, since a tensor owns the array it wraps
            float[] rowsData = rows * bands * pixels == masked.length ? masked
                    : java.util.Arrays.copyOf(masked, rows * bands * pixels);
            float[] s = Channels.expect(probe.scoreInputs(image, Tensor.of(rowsData, rows, bands,
                    input.dim(2), input.dim(3))), rows, method);
            System.arraycopy(s, 0, scores, start, rows);
            probe.progress(++done, total);
        }
        return scores;
    }

    /** In place {@code (m - min) / (max - min + 1e-8)}. */
    static void minMax(float[] m) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max - min + MASK_EPS;
        for (int p = 0; p < m.length; p++) {
            m[p] = (m[p] - min) / range;
        }
    }

    /**
     * torch-cam's weights of SS-CAM and IS-CAM: {@code softmax_k(sum_k / samples)}, the gains
     * {@code f(M_k) - f(X)} summed over the samples in float, as torch-cam's float32 accumulator.
     *
     * @param sums    per channel, the gains summed over the samples
     * @param samples the number of samples
     * @return the channel weights
     */
    static float[] meanSoftmax(float[] sums, int samples) {
        float[] mean = new float[sums.length];
        for (int k = 0; k < sums.length; k++) {
            mean[k] = sums[k] / samples;
        }
        return softmax(mean);
    }

    /** Adds {@code scores - baseline} to {@code sums}, in float. */
    static void addGains(float[] sums, float[] scores, float baseline) {
        for (int k = 0; k < sums.length; k++) {
            sums[k] += scores[k] - baseline;
        }
    }

    /** @return the softmax of {@code scores}, computed in double */
    static float[] softmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double[] e = new double[scores.length];
        double sum = 0;
        for (int k = 0; k < scores.length; k++) {
            e[k] = Math.exp(scores[k] - max);
            sum += e[k];
        }
        float[] out = new float[scores.length];
        for (int k = 0; k < scores.length; k++) {
            out[k] = (float) (e[k] / sum);
        }
        return out;
    }
}
