package org.camkit.method.perturbation.internal;

import java.util.Map;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Score-CAM (Wang et al., 2020, eq. 5-8): every activation channel, upsampled to the input size (aligned corners)
 * and min-max scaled, masks the input; the target scores of the masked inputs, softmax-normalised over channels,
 * weight the channels: {@code w_k = softmax_k(f(X * s(A_k)))}, map {@code sum_k w_k A_k}.
 */
@Component
@Method("scorecam")
public final class ScoreCam implements CamMethod {

    static final String BATCH_SIZE = "batch-size";
    /** pytorch-grad-cam's epsilon of the mask's min-max scaling. */
    static final float MASK_EPS = 1e-8f;

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(BATCH_SIZE, "masked inputs scored per forward pass, at least 1 (default 16)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int batch = Options.atLeast(data, "scorecam", BATCH_SIZE, 16, 1);
        ModelProbe probe = data.probe();
        Tensor input = probe.input();
        Tensor acts = data.activations();
        int n = acts.dim(0), c = acts.dim(1), area = acts.dim(2) * acts.dim(3);
        int bands = input.dim(1), height = input.dim(2), width = input.dim(3), pixels = height * width;
        AlignCornersUpsampler upsampler = new AlignCornersUpsampler(acts.dim(2), acts.dim(3), height, width);
        float[] mask = new float[pixels];
        float[][] weights = new float[n][];
        int done = 0;
        for (int i = 0; i < n; i++) {
            float[] scores = new float[c];
            for (int start = 0; start < c; start += batch) {
                int rows = Math.min(batch, c - start);
                float[] masked = new float[rows * bands * pixels];
                for (int r = 0; r < rows; r++) {
                    upsampler.upsample(acts, (i * c + start + r) * area, mask);
                    minMax(mask);
                    for (int b = 0; b < bands; b++) {
                        int src = (i * bands + b) * pixels;
                        int dst = (r * bands + b) * pixels;
                        for (int p = 0; p < pixels; p++) {
                            masked[dst + p] = input.get(src + p) * mask[p];
                        }
                    }
                }
                float[] s = Channels.expect(
                        probe.scoreInputs(i, Tensor.of(masked, rows, bands, height, width)), rows,
                        "scorecam");
                System.arraycopy(s, 0, scores, start, rows);
                probe.progress(++done, n * Channels.batches(c, batch));
            }
            weights[i] = softmax(scores);
        }
        return CamMaps.sum(Cams.contributions(acts, weights));
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
