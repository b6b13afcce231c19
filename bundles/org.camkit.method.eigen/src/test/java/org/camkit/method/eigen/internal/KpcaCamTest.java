package org.camkit.method.eigen.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class KpcaCamTest {

    @Test
    void theTopComponentOfADiagonalKernelIsItsLargestEntrysAxis() {
        double[][] k = {{1, 0, 0}, {0, 4, 0}, {0, 0, 2}};
        assertArrayEquals(new double[] {0, 2, 0}, KpcaCam.topComponent(k), 1e-9);
    }

    @Test
    void aNegativeDominantEigenvalueDoesNotHideTheLargestPositiveOne() {
        // eigenvalues -5 (axis 0), 3 (axis 1): the largest algebraic one is 3
        double[][] k = {{-5, 0}, {0, 3}};
        assertArrayEquals(new double[] {0, Math.sqrt(3)}, KpcaCam.topComponent(k), 1e-9);
    }

    @Test
    void theLargestMagnitudeEntryIsPositive() {
        // [[2, -1], [-1, 3]]: largest eigenvalue (5 + sqrt 5) / 2, eigenvector proportional to (-0.526, 0.851)
        double lambda = (5 + Math.sqrt(5)) / 2;
        double[] v = KpcaCam.topComponent(new double[][] {{2, -1}, {-1, 3}});
        double norm = Math.hypot(1, lambda - 2);
        assertEquals(-1 / norm * Math.sqrt(lambda), v[0], 1e-9);
        assertEquals((lambda - 2) / norm * Math.sqrt(lambda), v[1], 1e-9);
    }

    @Test
    void theCentredKernelHasZeroRowSums() {
        Random random = new Random(3);
        double[][] x = new double[6][4];
        for (double[] row : x) {
            for (int d = 0; d < row.length; d++) {
                row[d] = random.nextGaussian();
            }
        }
        double[][] k = KpcaCam.centre(KpcaCam.kernel(x, "sigmoid", 0.25));
        for (double[] row : k) {
            assertEquals(0, java.util.Arrays.stream(row).sum(), 1e-12);
        }
        assertEquals(Math.tanh(0.25 * (x[0][0] * x[1][0] + x[0][1] * x[1][1] + x[0][2] * x[1][2]
                + x[0][3] * x[1][3]) + 1), KpcaCam.kernel(x, "sigmoid", 0.25)[0][1], 1e-12);
    }

    @Test
    void aLinearKernelGivesEigenCamsProjectionUpToSign() {
        // with a linear kernel, kernel PCA's component is PCA's projection: A V_1 (sign aside)
        Random random = new Random(5);
        float[] a = new float[3 * 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        Tensor activations = Tensor.of(a, 1, 3, 4, 4);
        float[] kpca = new KpcaCam().compute(new LayerData("l", activations, null, new float[1],
                FakeProbe.builder().build(), Map.of("kernel", "linear"))).maps().toArray();
        float[] pca = org.camkit.spi.MapProcessing.project(activations, 0, 3, 16);
        double dot = 0;
        double nk = 0;
        double np = 0;
        for (int p = 0; p < 16; p++) {
            dot += kpca[p] * pca[p];
            nk += kpca[p] * kpca[p];
            np += pca[p] * pca[p];
        }
        assertEquals(1, Math.abs(dot) / Math.sqrt(nk * np), 1e-5);
        assertEquals(nk, np, 1e-3 * np, "the same length: the eigenvector times the root of its eigenvalue");
    }

    @Test
    void badOptionsAndTooLargeLayersAreRefusedNamingTheFix() {
        Tensor small = Tensor.of(new float[8], 1, 2, 2, 2);
        assertThrows(CamException.class, () -> new KpcaCam().compute(new LayerData("l", small, null, new float[1],
                FakeProbe.builder().build(), Map.of("kernel", "cosine"))));
        assertThrows(CamException.class, () -> new KpcaCam().compute(new LayerData("l", small, null, new float[1],
                FakeProbe.builder().build(), Map.of("gamma", "-1"))));
        Tensor large = Tensor.of(new float[65 * 65], 1, 1, 65, 65);
        CamException e = assertThrows(CamException.class, () -> new KpcaCam().compute(new LayerData("big", large,
                null, new float[1], FakeProbe.builder().build(), Map.of())));
        assertTrue(e.getMessage().contains("65x65") && e.getMessage().contains("later layer"), e.getMessage());
    }
}
