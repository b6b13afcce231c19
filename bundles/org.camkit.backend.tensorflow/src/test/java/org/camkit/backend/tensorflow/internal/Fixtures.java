package org.camkit.backend.tensorflow.internal;

import java.util.Random;
import org.camkit.spi.Tensor;

// Test fixtures: random preprocessed images and seeds, and a relative difference.
final class Fixtures {

    private Fixtures() {
    }

    /** @return {@code n} random images of {@code size x size}, preprocessed: (pixel - 0.5) / 0.25 */
    static Tensor images(int n, int size, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * 3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (random.nextFloat() - 0.5f) / 0.25f;
        }
        return Tensor.copyOf(data, new int[] {n, 3, size, size});
    }

    /** @return a seed {@code [n, classes]} with 1 at class {@code i % classes} of image {@code i} */
    static Tensor oneHot(int n, int classes) {
        float[] data = new float[n * classes];
        for (int i = 0; i < n; i++) {
            data[i * classes + i % classes] = 1;
        }
        return Tensor.copyOf(data, new int[] {n, classes});
    }

    /** @return {@code max |actual - expected| / max |expected|} (shapes must agree) */
    static double relative(Tensor expected, Tensor actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError("shapes differ: " + expected + " vs " + actual);
        }
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < e.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        if (scale == 0) {
            throw new AssertionError("reference " + expected + " is all zeros: the comparison would prove nothing");
        }
        return diff / scale;
    }
}
