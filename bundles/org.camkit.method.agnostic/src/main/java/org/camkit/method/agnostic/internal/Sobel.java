package org.camkit.method.agnostic.internal;

import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Sobel edges, pytorch-grad-cam's {@code sobel_cam}: a model-free baseline (a map that a method should beat) that
 * reads neither the model nor the target. With OpenCV's 8-bit arithmetic, on the 8-bit RGB picture the input was
 * made from (the descriptor's normalisation and channel order undone, rounded): grey
 * {@code (9798 R + 19235 G + 3735 B + 2^14) >> 15} ({@code COLOR_RGB2GRAY}'s fixed point, equal to OpenCV 4 and 5
 * on all 2^24 colours); 3x3 Sobel derivatives in x and y with
 * {@code BORDER_REFLECT_101}; {@code convertScaleAbs}: {@code |d|} saturated to 255; {@code addWeighted 0.5, 0.5}:
 * the mean, rounded half to even. The map is in 0..255; the core min-max normalises it like every map.
 */
@Component
@Method("sobel")
public final class Sobel implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of();
    }

    @Override
    public CamMaps compute(LayerData data) {
        Tensor input = data.probe().input();
        ModelDescriptor model = data.probe().model();
        int n = input.dim(0), height = input.dim(2), width = input.dim(3), area = height * width;
        float[] maps = new float[n * area];
        for (int i = 0; i < n; i++) {
            int[] grey = grey(input, i, model);
            for (int y = 0; y < height; y++) {
                int up = width * reflect(y - 1, height), row = width * y, down = width * reflect(y + 1, height);
                for (int x = 0; x < width; x++) {
                    int left = reflect(x - 1, width), right = reflect(x + 1, width);
                    int dx = grey[up + right] - grey[up + left] + 2 * (grey[row + right] - grey[row + left])
                            + grey[down + right] - grey[down + left];
                    int dy = grey[down + left] - grey[up + left] + 2 * (grey[down + x] - grey[up + x])
                            + grey[down + right] - grey[up + right];
                    maps[i * area + row + x] = (float) Math.rint(0.5 * Math.min(255, Math.abs(dx))
                            + 0.5 * Math.min(255, Math.abs(dy)));
                }
            }
        }
        return CamMaps.map(Tensor.of(maps, n, height, width));
    }

    /** @return the 8-bit grey picture of image {@code i}, {@code COLOR_RGB2GRAY} of its 8-bit RGB values */
    static int[] grey(Tensor input, int i, ModelDescriptor model) {
        int area = input.dim(2) * input.dim(3);
        boolean bgr = "BGR".equals(model.channelOrder());
        int[] weights = {9798, 19235, 3735};
        int[] grey = new int[area];
        for (int c = 0; c < 3; c++) {
            int weight = weights[bgr ? 2 - c : c];
            int offset = (i * 3 + c) * area;
            for (int p = 0; p < area; p++) {
                grey[p] += weight * Pixels.level(input.get(offset + p), c, model);
            }
        }
        for (int p = 0; p < area; p++) {
            grey[p] = (grey[p] + (1 << 14)) >> 15;
        }
        return grey;
    }

    /** @return OpenCV's {@code BORDER_REFLECT_101} of index {@code i} on an axis of {@code length}: -1 → 1 */
    private static int reflect(int i, int length) {
        if (length == 1) {
            return 0;
        }
        return i < 0 ? -i : i >= length ? 2 * length - 2 - i : i;
    }
}
