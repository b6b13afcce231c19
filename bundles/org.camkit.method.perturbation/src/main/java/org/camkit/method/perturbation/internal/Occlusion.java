package org.camkit.method.perturbation.internal;

import java.util.Map;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Occlusion (Zeiler and Fergus, 2014), with Captum's {@code Occlusion} semantics: a square patch set to 0 in the
 * normalised input (the dataset's mean colour) slides over the image with a stride; each pixel gets the mean score
 * drop {@code y - y_occluded} of the windows covering it. Windows start at multiples of the stride,
 * {@code ceil((H - patch) / stride) + 1} per axis, the last ones clipped at the border, so every pixel is covered.
 * Defaults: patch {@code max(1, round(min(H, W) / 14))} (16 px at 224) and stride {@code max(1, patch / 2)}.
 */
@Component
@Method("occlusion")
public final class Occlusion implements CamMethod {

    static final String PATCH = "patch";
    static final String STRIDE = "stride";
    static final String BATCH_SIZE = "batch-size";

    @Override
    public Set<Capability> requires() {
        return Set.of();
    }

    @Override
    public Map<String, String> options() {
        return Map.of(PATCH, "side of the square occluding patch in input pixels, 1 to min(H, W)"
                        + " (default max(1, round(min(H, W) / 14)): 16 at 224)",
                STRIDE, "step between patches in input pixels, 1 to patch (default max(1, patch / 2))",
                BATCH_SIZE, "occluded images scored per forward pass, at least 1 (default 32)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        ModelProbe probe = data.probe();
        Tensor input = probe.input();
        int n = input.dim(0), bands = input.dim(1), height = input.dim(2), width = input.dim(3);
        int pixels = height * width, size = bands * pixels;
        int side = Math.min(height, width);
        int patch = Options.between(data, "occlusion", PATCH, Math.max(1, Math.round(side / 14f)), 1, side);
        int stride = Options.between(data, "occlusion", STRIDE, Math.max(1, patch / 2), 1, patch);
        int batch = Options.atLeast(data, "occlusion", BATCH_SIZE, 32, 1);
        int rowsOfWindows = windows(height, patch, stride), colsOfWindows = windows(width, patch, stride);
        int count = rowsOfWindows * colsOfWindows;
        float[] out = new float[n * pixels];
        int done = 0;
        for (int i = 0; i < n; i++) {
            float[] image = Channels.image(input, i, size);
            float y = Channels.expect(probe.scoreInputs(i, Tensor.of(image, 1, bands, height, width)),
                    1, "occlusion")[0];
            double[] drops = new double[pixels];
            int[] covers = new int[pixels];
            for (int start = 0; start < count; start += batch) {
                int rows = Math.min(batch, count - start);
                float[] occluded = new float[rows * size];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(image, 0, occluded, r * size, size);
                    int[] box = box(start + r, colsOfWindows, patch, stride, height, width);
                    for (int b = 0; b < bands; b++) {
                        for (int py = box[0]; py < box[1]; py++) {
                            int from = r * size + b * pixels + py * width;
                            java.util.Arrays.fill(occluded, from + box[2], from + box[3], 0f);
                        }
                    }
                }
                float[] s = Channels.expect(probe.scoreInputs(i,
                        Tensor.of(occluded, rows, bands, height, width)), rows, "occlusion");
                for (int r = 0; r < rows; r++) {
                    int[] box = box(start + r, colsOfWindows, patch, stride, height, width);
                    double drop = y - s[r];
                    for (int py = box[0]; py < box[1]; py++) {
                        for (int px = box[2]; px < box[3]; px++) {
                            drops[py * width + px] += drop;
                            covers[py * width + px]++;
                        }
                    }
                }
                probe.progress(++done, n * Channels.batches(count, batch));
            }
            for (int p = 0; p < pixels; p++) {
                out[i * pixels + p] = (float) (drops[p] / covers[p]);
            }
        }
        return CamMaps.map(Tensor.of(out, n, 1, height, width));
    }

    /** Captum's shift count: {@code ceil((size - patch) / stride) + 1}. */
    static int windows(int size, int patch, int stride) {
        return (size - patch + stride - 1) / stride + 1;
    }

    /** @return {@code {y0, y1, x0, x1}} of window {@code index}, clipped at the border */
    private static int[] box(int index, int cols, int patch, int stride, int height, int width) {
        int y0 = (index / cols) * stride, x0 = (index % cols) * stride;
        return new int[] {y0, Math.min(height, y0 + patch), x0, Math.min(width, x0 + patch)};
    }
}
