package org.camkit.method.perturbation.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
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
 * Ablation-CAM (Desai and Ramaswamy, 2020, eq. 3): channel {@code k} is ablated at the layer and the network run
 * from there; the relative drop of the target score weights it, {@code w_k = (y - y_k) / y}, map
 * {@code sum_k w_k A_k}. {@code y} is the target score of the forward pass, as pytorch-grad-cam takes it.
 *
 * <p>Ablation value, as pytorch-grad-cam's {@code AblationLayer}: 0 when the minimum of the image's activations (all
 * channels and positions) is exactly 0, else that minimum minus 1e7. pytorch-grad-cam evaluates the minimum on the
 * batch it is mutating, so the i-th row of a batch gets {@code min - (i+1) * 1e7} when the minimum is not 0; here
 * every row gets {@code min - 1e7}, which keeps the result independent of the batch size.
 *
 * <p>The ablated copies of an image are written once and changed in place from pass to pass (a row's previous
 * channel restored, the next one ablated), since the probe keeps no input after a call: a pass costs the engine's
 * forward and little else, not a fresh copy of the batch.
 */
@Component
@Method("ablationcam")
public final class AblationCam implements CamMethod {

    static final String BATCH_SIZE = "batch-size";
    static final String RATIO = "ratio-channels-to-ablate";
    /** pytorch-grad-cam's {@code ABLATION_VALUE}. */
    static final float ABLATION_OFFSET = 1e7f;

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS, Capability.FORWARD_FROM_LAYER);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(BATCH_SIZE, "ablated copies of the layer run per forward pass, at least 1 (default 32)",
                RATIO, "in (0, 1]: below 1, ablate only the floor(C * ratio) channels ranked highest and the as many"
                        + " ranked lowest by pytorch-grad-cam's SVD objectiveness; the others get weight 0"
                        + " (default 1.0: all channels)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int batch = Options.atLeast(data, "ablationcam", BATCH_SIZE, 32, 1);
        double ratio = Options.fraction(data, "ablationcam", RATIO, 1.0);
        ModelProbe probe = data.probe();
        Tensor acts = data.activations();
        int n = acts.dim(0), c = acts.dim(1), h = acts.dim(2), w = acts.dim(3), size = c * h * w;
        int[][] ablate = new int[n][];
        int total = 0;
        for (int i = 0; i < n; i++) {
            ablate[i] = ratio == 1.0 ? Channels.all(c) : AblationRanking.select(Channels.image(acts, i, size), c, h * w, ratio);
            total += Channels.batches(ablate[i].length, batch);
        }
        float[][] weights = new float[n][c];
        int done = 0;
        float[] scores = data.scores(); // the forward pass's, as pytorch-grad-cam takes them
        for (int i = 0; i < n; i++) {
            float[] image = Channels.image(acts, i, size);
            float y = scores[i];
            if (y == 0f) {
                throw new CamException("method 'ablationcam': the target score of image " + i + " is 0, and"
                        + " Ablation-CAM divides by it; choose another target or method");
            }
            float value = ablationValue(image);
            int[] channels = ablate[i];
            // the copies of one image, rewritten in place from pass to pass: the probe keeps no input after a call
            Copies copies = new Copies(image, Math.min(batch, channels.length), h * w);
            for (int start = 0; start < channels.length; start += batch) {
                int rows = Math.min(batch, channels.length - start);
                for (int r = 0; r < rows; r++) {
                    copies.ablate(r, channels[start + r], value);
                }
                // the last batch may be smaller: its rows are the first of the copies
                float[] batchData = rows == copies.rows ? copies.data : Arrays.copyOf(copies.data, rows * size);
                float[] s = Channels.expect(probe.scoreFromLayer(i, data.layer(),
                        Tensor.of(batchData, rows, c, h, w)), rows, "ablationcam");
                for (int r = 0; r < rows; r++) {
                    weights[i][channels[start + r]] = (y - s[r]) / y;
                }
                probe.progress(++done, total);
            }
        }
        return CamMaps.sum(Cams.contributions(acts, weights));
    }

    /** Copies of one image's activations, each with at most one channel ablated, changed in place. */
    private static final class Copies {
        private final float[] image;
        private final float[] data;
        private final int rows;
        private final int area;
        private final int[] ablated;

        Copies(float[] image, int rows, int area) {
            this.image = image;
            this.rows = rows;
            this.area = area;
            this.data = new float[rows * image.length];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(image, 0, data, r * image.length, image.length);
            }
            this.ablated = new int[rows];
            Arrays.fill(ablated, -1);
        }

        /** Copy {@code row}: the image with {@code channel} set to {@code value} (the channel before restored). */
        void ablate(int row, int channel, float value) {
            int offset = row * image.length;
            if (ablated[row] >= 0) {
                System.arraycopy(image, ablated[row] * area, data, offset + ablated[row] * area, area);
            }
            Arrays.fill(data, offset + channel * area, offset + (channel + 1) * area, value);
            ablated[row] = channel;
        }
    }

    /** @return 0 if the image's smallest activation is 0, else that minimum minus 1e7 */
    static float ablationValue(float[] image) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : image) {
            min = Math.min(min, v);
        }
        return min == 0f ? 0f : min - ABLATION_OFFSET;
    }
}
