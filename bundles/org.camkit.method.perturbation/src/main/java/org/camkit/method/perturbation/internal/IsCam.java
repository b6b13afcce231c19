package org.camkit.method.perturbation.internal;

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
 * IS-CAM, Integrated Score-CAM (Naidu et al., 2020, "IS-CAM: Integrated Score-CAM for axiomatic-based
 * explanations"), as torch-cam's {@code ISCAM}: {@code w_k = softmax_k(1/N sum_j (f(a_j X M_k) - f(X)))}, map
 * {@code sum_k w_k A_k}, with {@code M_k} torch-cam's mask ({@link MaskedInputs.Convention#TORCH_CAM}) and
 * {@code a_j = sum_{i=1..j} i / N} for {@code j = 1..N}: torch-cam accumulates the coefficient, so it climbs from
 * {@code 1/N} to {@code (N + 1) / 2} (5.5 for its default N = 10) rather than the paper's path from 0 to 1; camkit
 * follows torch-cam. Defaults are torch-cam's: 10 samples, batches of 32.
 */
@Component
@Method("iscam")
public final class IsCam implements CamMethod {

    static final String BATCH_SIZE = "batch-size";
    static final String SAMPLES = "samples";

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(BATCH_SIZE, "masked inputs scored per forward pass, at least 1 (default 32, torch-cam's)",
                SAMPLES, "steps N of the integral: scaled copies of every masked input scored, at least 1 (default "
                        + "10, torch-cam's num_samples)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int batch = Options.atLeast(data, "iscam", BATCH_SIZE, 32, 1);
        int samples = Options.atLeast(data, "iscam", SAMPLES, 10, 1);
        int n = data.activations().dim(0), c = data.activations().dim(1);
        MaskedInputs masked = new MaskedInputs(data, "iscam", MaskedInputs.Convention.TORCH_CAM, batch, samples, c);
        float[] baseline = data.scores();
        float[][] weights = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] sums = new float[c];
            double coefficient = 0;
            for (int j = 0; j < samples; j++) {
                coefficient += (j + 1) / (double) samples; // in double, as torch-cam's Python float
                MaskedInputs.addGains(sums, masked.score(i, Channels.all(c), (float) coefficient, null), baseline[i]);
            }
            weights[i] = MaskedInputs.meanSoftmax(sums, samples);
        }
        return CamMaps.sum(Cams.contributions(data.activations(), weights));
    }
}
