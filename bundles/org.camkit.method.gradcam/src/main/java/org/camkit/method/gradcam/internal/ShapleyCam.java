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
import org.camkit.spi.LayerGradients;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * ShapleyCAM (Cai, "CAMs as Shapley Value-based Explainers", arXiv:2501.06261), as pytorch-grad-cam's
 * {@code ShapleyCAM}: {@code w_k = mean_ij (G - 1/2 H A)_k} with {@code H} the Hessian of the target score with
 * respect to the activations {@code A}, and the contributions {@code w_k * A_k}. The Hessian-vector product is a
 * central difference of head gradients along {@code A}: {@code H A ~ (G((1+e) A) - G((1-e) A)) / (2 e)}, two head
 * passes from the layer (option {@code step} = e). Piecewise-linear heads (ReLU, max-pool, linear) are positively
 * homogeneous, so scaling {@code A} crosses none of their kinks: only the target's own curvature remains, and the
 * difference is exact up to float error. With a raw logit on such a head {@code H A = 0} and this is Grad-CAM; the
 * paper pairs it with the ReST target ({@code --target rest:<class>}).
 */
@Component
@Method("shapleycam")
public final class ShapleyCam implements CamMethod {

    static final String STEP = "step";
    private static final double DEFAULT_STEP = 1e-2;

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.BACKWARD_FROM_LAYER);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(STEP, "relative step e of the central difference (G((1+e)A) - G((1-e)A)) / 2e for the Hessian"
                + " term, in (0, 0.5] (default 0.01); pair the method with --target rest:<class> (the paper's ReST):"
                + " on a raw logit it equals Grad-CAM");
    }

    @Override
    public CamMaps compute(LayerData data) {
        double step = data.doubleOption(STEP, DEFAULT_STEP);
        if (!(step > 0 && step <= 0.5)) {
            throw new CamException(CamException.Kind.INVALID, "shapleycam option " + STEP + "=" + step
                    + " is out of range; use a relative step in (0, 0.5], e.g. 0.01", STEP, List.of());
        }
        Tensor a = data.activations();
        Tensor g = data.gradients();
        int n = a.dim(0), c = a.dim(1), area = a.dim(2) * a.dim(3), size = c * area;
        float[][] weights = new float[n][c];
        for (int i = 0; i < n; i++) {
            float[] shifted = new float[2 * size];
            for (int p = 0; p < size; p++) {
                float v = a.get(i * size + p);
                shifted[p] = (float) (v * (1 + step));
                shifted[size + p] = (float) (v * (1 - step));
            }
            LayerGradients both = data.probe().gradientsFromLayer(i, data.layer(),
                    Tensor.of(shifted, 2, a.dim(1), a.dim(2), a.dim(3)));
            Tensor shiftedGrad = both.gradients();
            for (int k = 0; k < c; k++) {
                double sum = 0;
                for (int p = k * area; p < (k + 1) * area; p++) {
                    double hessianA = (shiftedGrad.get(p) - shiftedGrad.get(size + p)) / (2 * step);
                    sum += g.get(i * size + p) - 0.5 * hessianA;
                }
                weights[i][k] = (float) (sum / area);
            }
            data.probe().progress(i + 1, n);
        }
        return CamMaps.sum(Cams.contributions(a, weights));
    }
}
