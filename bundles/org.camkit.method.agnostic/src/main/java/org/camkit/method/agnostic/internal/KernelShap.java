package org.camkit.method.agnostic.internal;

import java.util.Arrays;
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
 * KernelSHAP for images (Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017), as
 * shap's {@code KernelExplainer} computes it on {@code M} SLIC superpixels: an absent superpixel shows the baseline
 * (by default a Gaussian blur of the image, see {@link Backgrounds}); the coalitions and their Shapley kernel
 * weights, small and large subset sizes enumerated completely while the budget allows and the rest drawn, and the
 * weighted least squares under {@code phi_0 = f(baseline)} and {@code sum phi = f(x) - f(baseline)} are
 * {@link ShapleyKernel}'s. Budget: shap's {@code nsamples='auto'}, {@code 2 M + 2048}, capped at {@code 2^M - 2}.
 * Each pixel's value is its segment's {@code phi}; the details give {@code base} ({@code phi_0 = f(baseline)}),
 * {@code fx} ({@code f(x)}) and {@code sum} ({@code sum phi}, equal to {@code fx - base}).
 */
@Component
@Method(KernelShap.NAME)
public final class KernelShap implements CamMethod {

    static final String NAME = "kernelshap";
    static final String BASELINE = "baseline";

    @Override
    public Set<Capability> requires() {
        return Set.of();
    }

    @Override
    public Map<String, String> options() {
        return Map.of(CoalitionOptions.SEGMENTS, "SLIC superpixels asked for, at least 1 (default "
                        + Superpixels.DEFAULT_SEGMENTS + ")",
                CoalitionOptions.SAMPLES, "coalitions scored besides the image and the baseline, at least 1 "
                        + "(default 2M + 2048 for M superpixels, at most 2^M - 2)",
                BASELINE, "what an absent superpixel shows: " + Backgrounds.CHOICES + " (default blur, sigma "
                        + "max(1, min(H, W) / 32) px)",
                CoalitionOptions.BATCH_SIZE, "perturbed images scored per forward pass, at least 1 (default "
                        + CoalitionOptions.DEFAULT_BATCH + ")",
                CoalitionOptions.SEED, "seed of the coalitions drawn, a whole number (default 0)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        ModelProbe probe = data.probe();
        Tensor input = probe.input();
        int n = input.dim(0), height = input.dim(2), width = input.dim(3), pixels = height * width;
        int segments = CoalitionOptions.between(data, NAME, CoalitionOptions.SEGMENTS, Superpixels.DEFAULT_SEGMENTS,
                1, pixels);
        int batch = CoalitionOptions.between(data, NAME, CoalitionOptions.BATCH_SIZE, CoalitionOptions.DEFAULT_BATCH,
                1, Integer.MAX_VALUE);
        boolean given = data.options().containsKey(CoalitionOptions.SAMPLES);
        int samples = CoalitionOptions.between(data, NAME, CoalitionOptions.SAMPLES, 1, 1, Integer.MAX_VALUE);
        long seed = CoalitionOptions.seed(data, NAME);
        String baseline = data.options().getOrDefault(BASELINE, Backgrounds.BLUR);
        Coalitions[] images = new Coalitions[n];
        boolean[][][] rows = new boolean[n][][];
        ShapleyKernel.Plan[] plans = new ShapleyKernel.Plan[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            images[i] = Coalitions.of(probe, i, segments, NAME, BASELINE, baseline);
            int m = images[i].segments();
            plans[i] = m < 2 ? new ShapleyKernel.Plan(new boolean[0][], new double[0], 0)
                    : ShapleyKernel.plan(m, given ? ShapleyKernel.cap(m, samples) : ShapleyKernel.defaultSamples(m),
                            new Random(seed));
            rows[i] = new boolean[plans[i].masks().length + 2][];
            rows[i][0] = new boolean[m];
            Arrays.fill(rows[i][0], true);
            rows[i][1] = new boolean[m];
            System.arraycopy(plans[i].masks(), 0, rows[i], 2, plans[i].masks().length);
            total += Coalitions.Batches.of(rows[i].length, batch);
        }
        Coalitions.Batches counter = new Coalitions.Batches(probe, total);
        float[] maps = new float[n * pixels];
        float[] bases = new float[n];
        float[] fxs = new float[n];
        float[] sums = new float[n];
        float[] passes = new float[n];
        for (int i = 0; i < n; i++) {
            passes[i] = rows[i].length;
            double[] scores = images[i].score(probe, rows[i], batch, counter);
            double fx = scores[0];
            double base = scores[1];
            double[] phi;
            try {
                phi = images[i].segments() < 2 ? new double[] {fx - base}
                        : ShapleyKernel.solve(plans[i].masks(), plans[i].weights(),
                                Arrays.copyOfRange(scores, 2, scores.length), fx, base);
            } catch (ArithmeticException e) {
                throw new CamException("method 'kernelshap': " + plans[i].masks().length + " coalitions do not "
                        + "determine the values of " + images[i].segments() + " superpixels; raise option '"
                        + CoalitionOptions.SAMPLES + "' or lower option '" + CoalitionOptions.SEGMENTS + "'", e);
            }
            System.arraycopy(images[i].paint(phi), 0, maps, i * pixels, pixels);
            bases[i] = (float) base;
            fxs[i] = (float) fx;
            double sum = 0;
            for (double v : phi) {
                sum += v;
            }
            sums[i] = (float) sum;
        }
        return CamMaps.map(Tensor.of(maps, n, 1, height, width)).withDetail("base", bases).withDetail("fx", fxs)
                .withDetail("sum", sums).withDetail(CamMaps.PASSES, passes);
    }
}
