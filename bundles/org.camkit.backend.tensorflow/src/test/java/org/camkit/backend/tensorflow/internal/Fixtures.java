package org.camkit.backend.tensorflow.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

// Test fixtures: the repository's demo model, random preprocessed images and seeds, and a relative difference.
final class Fixtures {

    static final int SIZE = 112;
    static final List<String> LABELS = List.of("charmander", "bulbasaur");

    private Fixtures() {
    }

    /** @return models/demo-biased.params of the repository (surefire sets camkit.models) */
    static Path demoWeights() {
        return Path.of(System.getProperty("camkit.models", "../../models")).resolve("demo-biased.params")
                .toAbsolutePath().normalize();
    }

    /** The demo model as the descriptor models/demo-biased.json gives it, for {@code backend}. */
    static ModelDescriptor demo(String backend, Path weights, List<String> labels) {
        return new ModelDescriptor("demo-biased-" + backend, backend, weights, DemoCnn.ID, SIZE, SIZE,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, labels, "relu4", Map.of());
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
