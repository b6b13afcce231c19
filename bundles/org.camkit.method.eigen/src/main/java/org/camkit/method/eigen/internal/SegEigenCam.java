package org.camkit.method.eigen.internal;

import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Seg-Eigen-CAM (Chung and Ying, Applied Sciences 15(13), 7562, 2025), as pytorch-grad-cam's {@code SegEigenCAM}:
 * the projection of {@code |G| ⊙ A} on its first principal component, with that paper's sign rule: flipped when its
 * smallest value is larger in magnitude than its largest (not camkit's Eigen-CAM rule, which follows the channel
 * sum). It returns the finished projection as one channel.
 */
@Component
@Method("segeigencam")
public final class SegEigenCam implements CamMethod {

    @Override
    public CamMaps compute(LayerData data) {
        Tensor g = data.gradients();
        float[] weighted = data.activations().toArray();
        for (int i = 0; i < weighted.length; i++) {
            weighted[i] *= Math.abs(g.get(i));
        }
        Tensor t = Tensor.of(weighted, g.shape());
        int n = g.dim(0);
        int c = g.dim(1);
        int area = g.dim(2) * g.dim(3);
        float[] maps = new float[n * area];
        for (int i = 0; i < n; i++) {
            float[] projection = MapProcessing.project(t, i * c * area, c, area);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : projection) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            float sign = Math.abs(min) > Math.abs(max) ? -1 : 1;
            for (int p = 0; p < area; p++) {
                maps[i * area + p] = sign * projection[p];
            }
        }
        return CamMaps.sum(Tensor.of(maps, n, 1, g.dim(2), g.dim(3)));
    }
}
