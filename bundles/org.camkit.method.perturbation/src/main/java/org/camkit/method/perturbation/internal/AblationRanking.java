package org.camkit.method.perturbation.internal;

import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * pytorch-grad-cam's experimental channel ranking for Ablation-CAM with {@code ratio_channels_to_ablate < 1}: the
 * first principal component of the activations gives an objectness mask ({@code |projection|} min-max scaled,
 * above 0.01); a channel scores the share of its {@code |A_k|} (min-max scaled) inside the mask. The
 * {@code floor(C * ratio)} highest- and as many lowest-scoring channels are ablated. pytorch-grad-cam concatenates
 * both lists, which repeats channels when the ratio exceeds 0.5 (and then mis-assigns scores); here they are merged
 * without repeats. A channel with constant {@code |A_k|} scores NaN, which sorts highest, as in numpy.
 */
final class AblationRanking {

    static final float MASK_THRESHOLD = 0.01f;

    private AblationRanking() {
    }

    /**
     * @param image one image's activations {@code [C, h*w]}
     * @return the channels to ablate, ascending
     */
    static int[] select(float[] image, int c, int area, double ratio) {
        float[] projection = MapProcessing.project(Tensor.of(image, image.length), 0, c, area);
        float[] scores = channelScores(image, c, area, objectMask(projection));
        Integer[] order = IntStream.range(0, c).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparing(k -> scores[k], Float::compare));
        int keep = (int) (c * ratio);
        boolean[] chosen = new boolean[c];
        for (int j = 0; j < keep; j++) {
            chosen[order[j]] = true;
            chosen[order[c - 1 - j]] = true;
        }
        return IntStream.range(0, c).filter(k -> chosen[k]).toArray();
    }

    /** @return {@code (|p| - min) / max > 0.01} per position (all false for a constant projection) */
    static boolean[] objectMask(float[] projection) {
        float[] abs = new float[projection.length];
        float min = Float.POSITIVE_INFINITY;
        for (int p = 0; p < abs.length; p++) {
            abs[p] = Math.abs(projection[p]);
            min = Math.min(min, abs[p]);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < abs.length; p++) {
            abs[p] -= min;
            max = Math.max(max, abs[p]);
        }
        boolean[] mask = new boolean[abs.length];
        for (int p = 0; p < abs.length; p++) {
            mask[p] = abs[p] / max > MASK_THRESHOLD;
        }
        return mask;
    }

    /** @return per channel {@code sum(mask * n) / sum(n)} with {@code n = (|A_k| - min) / max} */
    static float[] channelScores(float[] image, int c, int area, boolean[] mask) {
        float[] scores = new float[c];
        float[] norm = new float[area];
        for (int k = 0; k < c; k++) {
            float min = Float.POSITIVE_INFINITY;
            for (int p = 0; p < area; p++) {
                norm[p] = Math.abs(image[k * area + p]);
                min = Math.min(min, norm[p]);
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < area; p++) {
                norm[p] -= min;
                max = Math.max(max, norm[p]);
            }
            double inside = 0;
            double all = 0;
            for (int p = 0; p < area; p++) {
                float v = norm[p] / max;
                all += v;
                if (mask[p]) {
                    inside += v;
                }
            }
            scores[k] = (float) (inside / all);
        }
        return scores;
    }
}
