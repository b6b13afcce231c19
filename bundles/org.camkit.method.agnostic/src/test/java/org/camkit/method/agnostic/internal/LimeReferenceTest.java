package org.camkit.method.agnostic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.camkit.spi.Superpixels;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;

/**
 * LIME against the lime package on one case written by {@code tools/camkit-export/agnostic_references.py}: a
 * 10x12 image with a given 6-segment segmentation, lime's 300 coalitions and the scores of a small nonlinear model of
 * the pixels. With the same coalitions, camkit hides segments as lime_image does, scores the same perturbed images,
 * weights them with lime's kernel and fits lime_base's ridge: coefficients, intercept and R^2 equal lime's.
 */
class LimeReferenceTest {

    static final Path DIR = Path.of("../../fixtures/torchscript/reference/lime");

    static Tensor read(String name) {
        return Npy.read(DIR.resolve(name + ".npy"));
    }

    static boolean[][] masks(Tensor t) {
        boolean[][] z = new boolean[t.dim(0)][t.dim(1)];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                z[i][j] = t.get(i * z[i].length + j) != 0;
            }
        }
        return z;
    }

    static double[] doubles(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.get(i);
        }
        return d;
    }

    private static Superpixels segments() {
        Tensor s = read("lime_segments");
        int[] labels = new int[s.size()];
        for (int p = 0; p < labels.length; p++) {
            labels[p] = (int) s.get(p);
        }
        return Superpixels.of(s.dim(1), s.dim(0), labels);
    }

    @Test
    void absentSegmentsShowTheirMeanColourAsLimeImageHidesThem() {
        Tensor image = read("lime_image");
        float[] hidden = Backgrounds.segmentMeans(image.toArray(), image.dim(1) * image.dim(2), segments());
        assertArrayEquals(read("lime_hidden").toArray(), hidden, 1e-6f);
    }

    @Test
    void theCoalitionsPerturbedImagesScoreAsLimesDid() {
        Tensor image = read("lime_image");
        int h = image.dim(1), w = image.dim(2), size = 3 * h * w;
        float[] model = read("lime_model").toArray();
        FakeProbe probe = FakeProbe.builder().input(image.reshape(1, 3, h, w)).scoreInputs((i, row) -> {
            double t = 0;
            for (int j = 0; j < size; j++) {
                t += (double) model[j] * row.get(j);
            }
            return Math.tanh(t + model[size]) + 0.3 * t * t;
        }).build();
        float[] pixels = image.toArray();
        Superpixels sp = segments();
        Coalitions coalitions = new Coalitions(0, pixels, Backgrounds.segmentMeans(pixels, h * w, sp), sp);
        boolean[][] z = masks(read("lime_z"));
        double[] scores = coalitions.score(probe, z, 64, new Coalitions.Batches(probe, 5));
        assertArrayEquals(doubles(read("lime_scores")), scores, 1e-5);
        assertEquals(5, probe.progress().size(), "300 coalitions in batches of 64");
    }

    @Test
    void kernelWeightsAreLimesOfTheCosineDistance() {
        assertArrayEquals(doubles(read("lime_weights")), Lime.weights(masks(read("lime_z")), 0.25), 1e-6);
    }

    @Test
    void theRidgeFitEqualsLimeBasesOnTheSameSamples() {
        boolean[][] z = masks(read("lime_z"));
        WeightedRidge fit = WeightedRidge.fit(z, doubles(read("lime_scores")), Lime.weights(z, 0.25), Lime.ALPHA);
        double[] expected = doubles(read("lime_fit"));
        int m = z[0].length;
        assertArrayEquals(java.util.Arrays.copyOf(expected, m), fit.coefficients(), 1e-6);
        assertEquals(expected[m], fit.intercept(), 1e-6, "intercept");
        assertEquals(expected[m + 1], fit.score(), 1e-6, "R^2 (lime's score)");
    }

    @Test
    void theOptionsAreListed() {
        assertEquals(java.util.Set.of("segments", "samples", "hide", "kernel-width", "batch-size", "seed"),
                new Lime().options().keySet());
    }
}
