package org.camkit.method.perturbation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

/**
 * SS-CAM and IS-CAM on a hand-made layer through a linear fake model {@code f(x) = sum x + bias}, whose score of a
 * masked input is the masked input's sum: the weights follow from torch-cam's formulas by hand.
 */
class TorchCamVariantsTest {

    /**
     * Channel 0 = (0, 4, 1): torch-cam's mask min-max scales it to (0, 1, .25) at the layer, then upsamples with
     * half-pixel centres to (0, .25, .75, .8125, .4375, .25), sum 2.5 (pytorch-grad-cam's order would reach 1).
     * Channel 1 = (1, 0, 0): mask (1, .75, .25, 0, 0, 0), sum 2.
     */
    private static final Tensor ACTS = Tensor.copyOf(new float[] {0, 4, 1, 1, 0, 0}, new int[] {1, 2, 1, 3});
    private static final float[][] MASKS = {{0, .25f, .75f, .8125f, .4375f, .25f}, {1, .75f, .25f, 0, 0, 0}};
    private static final float BIAS = 0.5f;

    private static FakeProbe probe(int images) {
        float[] x = new float[images * 18];
        Arrays.fill(x, 1f);
        float[] v = new float[18];
        Arrays.fill(v, 1f);
        return FakeProbe.builder().input(Tensor.copyOf(x, new int[] {images, 3, 1, 6}))
                .scoreInputs(FakeProbe.linear(v, BIAS)).build();
    }

    private static LayerData layer(Tensor acts, FakeProbe probe, Map<String, String> options) {
        float[] clean = new float[acts.dim(0)];
        Arrays.fill(clean, 18 + BIAS); // f(X): the unmasked input's score
        return new LayerData("layer", acts, null, clean, probe, options);
    }

    /** @return the weights of channels 0 and 1 read from the contributions {@code w_k A_k} */
    private static float[] weights(CamMethod method, Map<String, String> options) {
        float[] maps = method.compute(layer(ACTS, probe(1), options)).maps().toArray();
        return new float[] {maps[1] / 4, maps[3]};
    }

    private static float[] softmax(double a, double b) {
        double m = Math.max(a, b);
        double ea = Math.exp(a - m), eb = Math.exp(b - m);
        return new float[] {(float) (ea / (ea + eb)), (float) (eb / (ea + eb))};
    }

    @Test
    void isCamWeightsAreTheSoftmaxOfTheGainsAtTorchCamsAccumulatedCoefficients() {
        // the sum of a masked input is 3 * mask sum: 7.5 and 6; torch-cam's coefficients a_j = j(j+1)/(2N) average
        // to (N+1)(N+2)/(6N): 2.2 for N = 10 (the paper's path from 0 to 1 would average about 0.5)
        assertArrayEquals(softmax(2.2 * 7.5, 2.2 * 6), weights(new IsCam(), Map.of()), 1e-5f);
        assertArrayEquals(softmax(20.0 / 18 * 7.5, 20.0 / 18 * 6), weights(new IsCam(), Map.of("samples", "3")),
                1e-5f);
    }

    @Test
    void ssCamWithoutNoiseWeightsChannelsByTheSoftmaxOfTorchCamsMaskedScores() {
        float[] expected = softmax(7.5, 6);
        assertArrayEquals(expected, weights(new SsCam(), Map.of("noise", "0")), 1e-5f);
        assertArrayEquals(expected, weights(new SsCam(), Map.of("noise", "0", "samples", "1")), 1e-5f);
    }

    @Test
    void ssCamAveragesTheGainsOfNoisyMasksDrawnSampleByChannelByPixel() {
        int samples = 4;
        double std = 0.3;
        Random random = new Random(7);
        double[] gains = new double[2];
        for (int j = 0; j < samples; j++) {
            for (int k = 0; k < 2; k++) {
                for (int p = 0; p < 6; p++) {
                    float noisy = MASKS[k][p] + (float) (std * random.nextGaussian());
                    gains[k] += 3 * noisy / samples; // three bands of ones times the noisy mask
                }
            }
        }
        float[] expected = softmax(gains[0], gains[1]);
        Map<String, String> options = Map.of("samples", "" + samples, "noise", "" + std, "seed", "7");
        assertArrayEquals(expected, weights(new SsCam(), options), 1e-5f);
        assertTrue(Math.abs(softmax(7.5, 6)[0] - expected[0]) > 1e-3f, "the noise changes the weights");
        float[] otherSeed = weights(new SsCam(), Map.of("samples", "" + samples, "noise", "" + std, "seed", "8"));
        assertTrue(Math.abs(otherSeed[0] - expected[0]) > 1e-6f, "another seed, other noise");
    }

    @Test
    void ssCamNoiseStartsAfreshForEveryImageAndIgnoresTheBatchSize() {
        Tensor two = Tensor.copyOf(new float[] {0, 4, 1, 1, 0, 0, 0, 4, 1, 1, 0, 0}, new int[] {2, 2, 1, 3});
        float[] reference = null;
        for (String batch : new String[] {"1", "3", "32"}) {
            FakeProbe probe = probe(2);
            float[] maps = new SsCam().compute(layer(two, probe, Map.of("batch-size", batch, "samples", "3")))
                    .maps().toArray();
            assertArrayEquals(Arrays.copyOfRange(maps, 0, 6), Arrays.copyOfRange(maps, 6, 12), 0f,
                    "the same image twice in a batch gets the same noise");
            if (reference == null) {
                reference = maps;
            } else {
                assertArrayEquals(reference, maps, 0f, "batch size " + batch);
            }
            int perSample = (2 + Integer.parseInt(batch) - 1) / Integer.parseInt(batch);
            assertEquals(2 * 3 * perSample, probe.progress().size());
            assertArrayEquals(new int[] {2 * 3 * perSample, 2 * 3 * perSample},
                    probe.progress().get(probe.progress().size() - 1));
        }
    }

    @Test
    void isCamScoresEveryChannelOncePerStep() {
        FakeProbe probe = probe(1);
        new IsCam().compute(layer(ACTS, probe, Map.of("samples", "5", "batch-size", "1")));
        assertEquals(10, probe.batchSizes().size());
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), probe.batchSizes());
    }

    @Test
    void malformedOptionsAreRefusedNamingTheOption() {
        for (Map<String, String> bad : List.of(Map.of("samples", "0"), Map.of("noise", "-1"),
                Map.of("noise", "NaN"), Map.of("seed", "x"), Map.of("batch-size", "0"))) {
            CamException e = assertThrows(CamException.class, () -> weights(new SsCam(), bad), bad.toString());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
        CamException e = assertThrows(CamException.class, () -> weights(new IsCam(), Map.of("samples", "-3")));
        assertTrue(e.getMessage().contains("'iscam'") && e.getMessage().contains("samples"), e.getMessage());
    }

    @Test
    void needActivationsOnlyAndDocumentTorchCamsDefaults() {
        assertEquals(Set.of(Capability.ACTIVATIONS), new SsCam().requires());
        assertEquals(Set.of(Capability.ACTIVATIONS), new IsCam().requires());
        assertTrue(new SsCam().options().get("samples").contains("default 35"));
        assertTrue(new SsCam().options().get("noise").contains("default 2.0"));
        assertTrue(new SsCam().options().get("seed").contains("default 0"));
        assertTrue(new IsCam().options().get("samples").contains("default 10"));
    }
}
