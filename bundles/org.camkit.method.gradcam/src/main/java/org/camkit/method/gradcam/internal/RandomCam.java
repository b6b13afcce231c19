package org.camkit.method.gradcam.internal;

import java.util.Map;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * RandomCAM (pytorch-grad-cam's {@code RandomCAM}): channel weights drawn uniformly from [-1, 1), contributions
 * {@code w_k * A_k}. It knows nothing of the target: a floor that a faithful method must beat in an evaluation. The
 * weights are NumPy's: {@code np.random.seed(seed); np.random.uniform(-1, 1, size=(N, C))}, so a notebook that seeds
 * NumPy so before RandomCAM gets the same map.
 */
@Component
@Method("randomcam")
public final class RandomCam implements CamMethod {

    static final String SEED = "seed";

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(SEED, "NumPy seed of the weights, 0 to 4294967295 (default 0): the weights"
                + " np.random.uniform(-1, 1, (N, C)) draws after np.random.seed(seed)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        NumpyRandom random = NumpyRandom.seeded(data, "randomcam", SEED);
        int n = data.activations().dim(0);
        int c = data.activations().dim(1);
        float[][] weights = new float[n][c];
        for (float[] image : weights) {
            for (int k = 0; k < c; k++) {
                image[k] = (float) random.uniform(-1, 1);
            }
        }
        return CamMaps.sum(Cams.contributions(data.activations(), weights));
    }
}
