package org.camkit.method.perturbation.internal;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * SS-CAM, Smoothed Score-CAM (Wang et al., 2020, "SS-CAM: Smoothed Score-CAM for Sharper Visual Feature
 * Localization", eq. 5), as torch-cam's {@code SSCAM}: {@code w_k = softmax_k(1/N sum_j (f(X * (M_k + d_j)) - f(X)))}
 * with Gaussian noise {@code d_j ~ N(0, noise^2)} drawn per sample, channel and pixel, map {@code sum_k w_k A_k}.
 * {@code M_k} is torch-cam's mask ({@link MaskedInputs.Convention#TORCH_CAM}); the noise is added to it and not
 * clipped. Defaults are torch-cam's: 35 samples, standard deviation 2, batches of 32.
 *
 * <p>The noise comes from {@code java.util.Random(seed)}'s {@code nextGaussian} (an algorithm its Javadoc specifies),
 * started afresh for each image of a batch and drawn sample by sample, channel by channel, in row-major pixel order,
 * as torch-cam draws its {@code [C, H, W]} noise per sample: an image's map depends on the seed, not on the batch.
 * torch-cam draws from torch's global generator instead, so its maps match camkit's when its noise is this noise.
 */
@Component
@Method("sscam")
public final class SsCam implements CamMethod {

    static final String BATCH_SIZE = "batch-size";
    static final String SAMPLES = "samples";
    static final String NOISE = "noise";
    static final String SEED = "seed";

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(BATCH_SIZE, "masked inputs scored per forward pass, at least 1 (default 32, torch-cam's)",
                SAMPLES, "noisy copies of every mask scored, at least 1 (default 35, torch-cam's num_samples)",
                NOISE, "standard deviation of the Gaussian noise added to the masks, at least 0 (default 2.0, "
                        + "torch-cam's std)",
                SEED, "seed of the noise (java.util.Random), the same for every image (default 0)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int batch = Options.atLeast(data, "sscam", BATCH_SIZE, 32, 1);
        int samples = Options.atLeast(data, "sscam", SAMPLES, 35, 1);
        double std = Options.nonNegative(data, "sscam", NOISE, 2.0);
        int seed = data.intOption(SEED, 0);
        int n = data.activations().dim(0), c = data.activations().dim(1);
        MaskedInputs masked = new MaskedInputs(data, "sscam", MaskedInputs.Convention.TORCH_CAM, batch, samples, c);
        float[] baseline = data.scores();
        float[][] weights = new float[n][];
        for (int i = 0; i < n; i++) {
            Random random = new Random(seed);
            MaskedInputs.MaskEdit noise = std == 0 ? null : mask -> {
                for (int p = 0; p < mask.length; p++) {
                    mask[p] += (float) (std * random.nextGaussian());
                }
            };
            float[] sums = new float[c];
            for (int j = 0; j < samples; j++) {
                MaskedInputs.addGains(sums, masked.score(i, Channels.all(c), 1f, noise), baseline[i]);
            }
            weights[i] = MaskedInputs.meanSoftmax(sums, samples);
        }
        return CamMaps.sum(Cams.contributions(data.activations(), weights));
    }
}
