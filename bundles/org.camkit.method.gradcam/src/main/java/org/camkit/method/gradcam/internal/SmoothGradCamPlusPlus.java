package org.camkit.method.gradcam.internal;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.LayerData;
import org.camkit.spi.LayerGradients;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Smooth Grad-CAM++ (Omeiza et al., arXiv:1908.01224) as torch-cam's {@code SmoothGradCAMpp} computes it: over
 * {@code samples} copies of the input with Gaussian noise ({@code std}, added to the normalised input), the mean
 * squared and cubed gradients {@code D2}, {@code D3} at the layer; {@code a_ij = D2 / (2 D2 + sum_ab D3 A + 1e-8)}
 * with the clean activations {@code A} (torch-cam's correction of the paper's numerator);
 * {@code w_k = sum_ij a_ij ReLU(G)}. As in torch-cam, {@code G} and the activations the weights multiply are those of
 * the last noisy copy. The noise comes from {@code java.util.Random(seed)}'s {@code nextGaussian} (an algorithm its
 * Javadoc specifies), restarted for each image and drawn copy after copy in row-major order, as SS-CAM's is; so an
 * image's map does not depend on the batch, and a notebook can draw the same numbers.
 */
@Component
@Method("smoothgradcam++")
public final class SmoothGradCamPlusPlus implements CamMethod {

    static final String SAMPLES = "samples";
    static final String STD = "std";
    static final String SEED = "seed";
    /** torch-cam's epsilon in the denominator of {@code a_ij}. */
    private static final double EPS = 1e-8;

    @Override
    public Map<String, String> options() {
        return Map.of(SAMPLES, "noisy copies of the input, at least 1 (default 4, torch-cam's)",
                STD, "standard deviation of the noise added to the normalised input, >= 0 (default 0.3)",
                SEED, "seed of the noise (java.util.Random), the same for every image (default 0)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int samples = data.intOption(SAMPLES, 4);
        double std = data.doubleOption(STD, 0.3);
        if (samples < 1 || !(std >= 0)) {
            throw new CamException(CamException.Kind.INVALID, "smoothgradcam++ needs " + SAMPLES + " >= 1 and " + STD
                    + " >= 0, got " + SAMPLES + "=" + samples + ", " + STD + "=" + std, samples < 1 ? SAMPLES : STD,
                    List.of());
        }
        long seed = data.intOption(SEED, 0);
        Tensor input = data.probe().input();
        int n = input.dim(0), pixels = input.size() / n;
        Tensor clean = data.activations();
        int c = clean.dim(1), area = clean.dim(2) * clean.dim(3), size = c * area;
        float[][] weights = new float[n][c];
        float[] last = new float[n * size];
        for (int i = 0; i < n; i++) {
            float[] noisy = new float[samples * pixels];
            Random random = new Random(seed);
            for (int m = 0; m < samples; m++) {
                for (int p = 0; p < pixels; p++) {
                    noisy[m * pixels + p] = input.get(i * pixels + p) + (float) (std * random.nextGaussian());
                }
            }
            LayerGradients passes = data.probe().layerGradients(i, data.layer(),
                    Tensor.of(noisy, samples, input.dim(1), input.dim(2), input.dim(3)));
            Tensor g = passes.gradients();
            double[] g2 = new double[size];
            double[] g3 = new double[size];
            for (int m = 0; m < samples; m++) {
                for (int p = 0; p < size; p++) {
                    double v = g.get(m * size + p);
                    g2[p] += v * v / samples;
                    g3[p] += v * v * v / samples;
                }
            }
            int lastRow = (samples - 1) * size;
            for (int k = 0; k < c; k++) {
                double d = 0;
                for (int p = k * area; p < (k + 1) * area; p++) {
                    d += g3[p] * clean.get(i * size + p);
                }
                double w = 0;
                for (int p = k * area; p < (k + 1) * area; p++) {
                    w += g2[p] / (2 * g2[p] + d + EPS) * Math.max(g.get(lastRow + p), 0);
                }
                weights[i][k] = (float) w;
            }
            passes.activations().copyTo(lastRow, last, i * size, size);
            data.probe().progress(i + 1, n);
        }
        return CamMaps.sum(Cams.contributions(Tensor.of(last, clean.shape()), weights));
    }
}
