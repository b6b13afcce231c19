package org.camkit.method.perturbation.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Score-CAM (Wang et al., 2020, eq. 5-8) as pytorch-grad-cam's {@code ScoreCAM}: every activation channel, upsampled
 * to the input size (aligned corners) and min-max scaled, masks the input; the target scores of the masked inputs,
 * softmax-normalised over channels, weight the channels: {@code w_k = softmax_k(f(X * s(A_k)))}, map
 * {@code sum_k w_k A_k}.
 *
 * <p>Faster Score-CAM (option {@value #CHANNELS}, or {@value #FAST}): only the {@code k} channels whose activations
 * vary most over the positions (population variance, ties to the lower index) are scored; the softmax runs over
 * those {@code k} scores, so their weights sum to 1, and the other channels get weight 0. {@code k} forward passes
 * instead of {@code C}.
 */
@Component
@Method("scorecam")
public final class ScoreCam implements CamMethod {

    static final String BATCH_SIZE = "batch-size";
    static final String CHANNELS = "channels";
    static final String FAST = "fast";
    /** The channels {@value #FAST} scores. */
    static final int FAST_CHANNELS = 32;

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(BATCH_SIZE, "masked inputs scored per forward pass, at least 1 (default 16)",
                CHANNELS, "at least 1: score only the k channels of largest activation variance (Faster Score-CAM);"
                        + " the softmax runs over them, the others get weight 0 (default: all channels)",
                FAST, "true: Faster Score-CAM with " + CHANNELS + "=" + FAST_CHANNELS + " (default false)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int batch = Options.atLeast(data, "scorecam", BATCH_SIZE, 16, 1);
        Tensor acts = data.activations();
        int n = acts.dim(0), c = acts.dim(1), area = acts.dim(2) * acts.dim(3);
        int k = Math.min(c, scored(data));
        MaskedInputs masked = new MaskedInputs(data, "scorecam", MaskedInputs.Convention.GRAD_CAM, batch, 1, k);
        float[][] weights = new float[n][c];
        for (int i = 0; i < n; i++) {
            int[] channels = k == c ? Channels.all(c) : mostVarying(Channels.image(acts, i, c * area), area, k);
            float[] w = MaskedInputs.softmax(masked.score(i, channels, 1f, null));
            for (int j = 0; j < k; j++) {
                weights[i][channels[j]] = w[j];
            }
        }
        return CamMaps.sum(Cams.contributions(acts, weights));
    }

    /** @return the channels to score: option {@value #CHANNELS}, or the preset of {@value #FAST}, or all */
    private static int scored(LayerData data) {
        boolean fast = Options.flag(data, "scorecam", FAST, false);
        if (fast && data.options().containsKey(CHANNELS)) {
            throw new CamException(CamException.Kind.INVALID, "method 'scorecam': give either option '" + FAST
                    + "' (" + CHANNELS + "=" + FAST_CHANNELS + ") or option '" + CHANNELS + "', not both", FAST,
                    List.of());
        }
        return Options.atLeast(data, "scorecam", CHANNELS, fast ? FAST_CHANNELS : Integer.MAX_VALUE, 1);
    }

    /** @return the {@code k} channels of largest variance over the positions, ascending */
    static int[] mostVarying(float[] image, int area, int k) {
        int c = image.length / area;
        double[] variance = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int p = ch * area; p < (ch + 1) * area; p++) {
                sum += image[p];
            }
            double mean = sum / area, squares = 0;
            for (int p = ch * area; p < (ch + 1) * area; p++) {
                squares += (image[p] - mean) * (image[p] - mean);
            }
            variance[ch] = squares / area;
        }
        return Arrays.stream(Channels.all(c)).boxed()
                .sorted(Comparator.comparingDouble((Integer ch) -> -variance[ch]).thenComparingInt(ch -> ch))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }
}
