package org.camkit.method.gradcam.internal;

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
 * FEM, the Feature Explanation Method (Fuad et al., 2020), as pytorch-grad-cam's {@code FEM}: a channel's weight is
 * the share of its positions above {@code mean + k * std} of that channel (population deviation, the k-sigma rule),
 * contributions {@code w_k * A_k}. No gradients: it shows which channels fire unusually strongly anywhere.
 */
@Component
@Method("fem")
public final class Fem implements CamMethod {

    static final String K = "k";

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(K, "the k of the threshold mean + k * std over a channel's positions (default 2)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        double k = data.doubleOption(K, 2);
        if (!Double.isFinite(k)) {
            throw new CamException(CamException.Kind.INVALID, "method 'fem': option '" + K
                    + "' must be a finite number, got " + k, K, List.of());
        }
        Tensor a = data.activations();
        int n = a.dim(0);
        int c = a.dim(1);
        int area = a.dim(2) * a.dim(3);
        float[][] weights = new float[n][c];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int offset = (i * c + ch) * area;
                double sum = 0;
                for (int p = 0; p < area; p++) {
                    sum += a.get(offset + p);
                }
                double mean = sum / area;
                double ss = 0;
                for (int p = 0; p < area; p++) {
                    double d = a.get(offset + p) - mean;
                    ss += d * d;
                }
                double threshold = mean + k * Math.sqrt(ss / area);
                int above = 0;
                for (int p = 0; p < area; p++) {
                    above += a.get(offset + p) > threshold ? 1 : 0;
                }
                weights[i][ch] = (float) above / area;
            }
        }
        return CamMaps.sum(Cams.contributions(a, weights));
    }
}
