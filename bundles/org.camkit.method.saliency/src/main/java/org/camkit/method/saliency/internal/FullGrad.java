package org.camkit.method.saliency.internal;

import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerData;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * FullGrad (Srinivas and Fleuret, 2019, eq. 6), as pytorch-grad-cam's {@code FullGrad}: the input-gradient term
 * {@code |x * dy/dx|}, each of its colour channels min-max scaled on its own, plus, for every layer with a bias,
 * {@code |b_c * dy/dz_c|} with each channel min-max scaled, resized to the input and summed over channels. Target
 * layers are ignored: every bias term the backend reports is used. Min-max scaling comes before resizing
 * ({@code scale_cam_image}); a 1 x 1 term (a linear layer's) scales to 0 and adds nothing. The core normalises the
 * sum. Eigen-smooth does not apply.
 */
@Component
@Method("fullgrad")
public final class FullGrad implements CamMethod {

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS);
    }

    @Override
    public CamMaps compute(LayerData data) {
        ModelProbe probe = data.probe();
        InputGradients gradients = probe.inputGradients();
        Tensor input = probe.input();
        int n = input.dim(0), height = input.dim(2), width = input.dim(3), pixels = height * width;
        if (!java.util.Arrays.equals(input.shape(), gradients.input().shape())) {
            throw new IllegalStateException("method 'fullgrad': input gradients " + gradients.input()
                    + " do not match the input " + input);
        }
        float[] out = new float[n * pixels];
        addScaledChannels(out, input, gradients.input(), height, width);
        for (Tensor term : gradients.biasTerms().values()) {
            addScaledChannels(out, null, term, height, width);
        }
        return CamMaps.map(Tensor.of(out, n, 1, height, width));
    }

    /**
     * Adds, for every image and channel of {@code [N, C, h, w]} values {@code |g|} (or {@code |x * g|} when
     * {@code x} is given), the channel min-max scaled and resized to {@code height x width}.
     */
    private static void addScaledChannels(float[] out, Tensor x, Tensor g, int height, int width) {
        int n = g.dim(0), c = g.dim(1), h = g.dim(2), w = g.dim(3), area = h * w, pixels = height * width;
        float[] channel = new float[area];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                int base = (i * c + k) * area;
                for (int p = 0; p < area; p++) {
                    channel[p] = Math.abs(x == null ? g.get(base + p) : x.get(base + p) * g.get(base + p));
                }
                float[] scaled = MapProcessing.resize(MapProcessing.normalize(channel), w, h, width, height);
                for (int p = 0; p < pixels; p++) {
                    out[i * pixels + p] += scaled[p];
                }
            }
        }
    }
}
