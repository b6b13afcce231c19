package org.camkit.method.agnostic.internal;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Superpixels;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * LIME for images (Ribeiro et al., "Why Should I Trust You?", KDD 2016), with the defaults of the lime package's
 * {@code LimeImageExplainer.explain_instance} and {@code LimeBase.explain_instance_with_data}: the image cut into
 * {@code M} SLIC superpixels; {@code samples} coalitions {@code z} drawn uniformly from {@code {0,1}^M} (each
 * segment on with probability 1/2), the first one all on; absent segments show their mean colour ({@code hide});
 * each coalition weighted by the exponential kernel of width 0.25 on its cosine distance to the all-on coalition,
 * {@code pi(z) = sqrt(exp(-d^2 / 0.25^2))}, {@code d = 1 - sqrt(|z| / M)}; a ridge regression (alpha 1, with
 * intercept, the sample weights {@code pi}) of the target scores on {@code z} over all segments (lime's
 * {@code num_features=100000} keeps every one). Each pixel's value is its segment's coefficient; the details give
 * the surrogate's weighted R^2 ({@code r2}, lime's {@code score}) and {@code intercept}.
 */
@Component
@Method(Lime.NAME)
public final class Lime implements CamMethod {

    static final String NAME = "lime";
    static final String HIDE = "hide";
    static final String KERNEL_WIDTH = "kernel-width";
    static final int DEFAULT_SAMPLES = 1000;
    static final double DEFAULT_KERNEL_WIDTH = 0.25;
    static final double ALPHA = 1;

    @Override
    public Set<Capability> requires() {
        return Set.of();
    }

    @Override
    public Map<String, String> options() {
        return Map.of(CoalitionOptions.SEGMENTS, "SLIC superpixels asked for, at least 1 (default "
                        + Superpixels.DEFAULT_SEGMENTS + ")",
                CoalitionOptions.SAMPLES, "coalitions scored, at least 2 (default " + DEFAULT_SAMPLES + ")",
                HIDE, "what an absent superpixel shows: " + Backgrounds.CHOICES + " (default mean)",
                KERNEL_WIDTH, "width of the exponential kernel on the cosine distance, above 0 (default 0.25)",
                CoalitionOptions.BATCH_SIZE, "perturbed images scored per forward pass, at least 1 (default "
                        + CoalitionOptions.DEFAULT_BATCH + ")",
                CoalitionOptions.SEED, "seed of the coalitions drawn, a whole number (default 0)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        ModelProbe probe = data.probe();
        Tensor input = probe.input();
        int n = input.dim(0), height = input.dim(2), width = input.dim(3);
        int segments = CoalitionOptions.between(data, NAME, CoalitionOptions.SEGMENTS, Superpixels.DEFAULT_SEGMENTS,
                1, height * width);
        int samples = CoalitionOptions.between(data, NAME, CoalitionOptions.SAMPLES, DEFAULT_SAMPLES, 2,
                Integer.MAX_VALUE);
        int batch = CoalitionOptions.between(data, NAME, CoalitionOptions.BATCH_SIZE, CoalitionOptions.DEFAULT_BATCH,
                1, Integer.MAX_VALUE);
        double kernelWidth = data.doubleOption(KERNEL_WIDTH, DEFAULT_KERNEL_WIDTH);
        if (!(kernelWidth > 0) || Double.isInfinite(kernelWidth)) {
            throw new CamException(CamException.Kind.INVALID, "method 'lime': option '" + KERNEL_WIDTH
                    + "' must be a number above 0, got " + kernelWidth, KERNEL_WIDTH, List.of());
        }
        long seed = CoalitionOptions.seed(data, NAME);
        String hide = data.options().getOrDefault(HIDE, Backgrounds.MEAN);
        Coalitions.Batches counter = new Coalitions.Batches(probe, n * Coalitions.Batches.of(samples, batch));
        float[] maps = new float[n * height * width];
        float[] r2 = new float[n];
        float[] intercepts = new float[n];
        for (int i = 0; i < n; i++) {
            Coalitions coalitions = Coalitions.of(probe, i, segments, NAME, HIDE, hide);
            boolean[][] z = sample(coalitions.segments(), samples, new Random(seed));
            double[] scores = coalitions.score(probe, z, batch, counter);
            WeightedRidge fit = WeightedRidge.fit(z, scores, weights(z, kernelWidth), ALPHA);
            System.arraycopy(coalitions.paint(fit.coefficients()), 0, maps, i * height * width, height * width);
            r2[i] = (float) fit.score();
            intercepts[i] = (float) fit.intercept();
        }
        float[] passes = new float[n];
        java.util.Arrays.fill(passes, samples);
        return CamMaps.map(Tensor.of(maps, n, 1, height, width)).withDetail("r2", r2)
                .withDetail("intercept", intercepts).withDetail(CamMaps.PASSES, passes);
    }

    /** @return {@code samples} coalitions of {@code m} segments, each on with probability 1/2; the first all on */
    static boolean[][] sample(int m, int samples, Random random) {
        boolean[][] z = new boolean[samples][m];
        java.util.Arrays.fill(z[0], true);
        for (int s = 1; s < samples; s++) {
            for (int j = 0; j < m; j++) {
                z[s][j] = random.nextBoolean();
            }
        }
        return z;
    }

    /**
     * @return lime's kernel {@code sqrt(exp(-d^2 / width^2))} of each coalition's cosine distance to the all-on one,
     *         {@code d = 1 - |z| / (sqrt(|z|) sqrt(M))}, and 1 for the empty coalition (scikit-learn's cosine
     *         distance of a zero vector)
     */
    static double[] weights(boolean[][] z, double kernelWidth) {
        double[] w = new double[z.length];
        for (int s = 0; s < z.length; s++) {
            int on = 0;
            for (boolean b : z[s]) {
                on += b ? 1 : 0;
            }
            double d = on == 0 ? 1 : 1 - Math.sqrt((double) on / z[s].length);
            w[s] = Math.sqrt(Math.exp(-d * d / (kernelWidth * kernelWidth)));
        }
        return w;
    }
}
