package org.camkit.method.gradcam.internal;

import java.util.Map;
import java.util.Random;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;

/** Small tensors and layer data for the method tests. */
final class Fixtures {

    /**
     * The hand example shared by the per-method tests: one image, two channels of 2x2 (row-major).
     * A0 = [1, -2; 3, 4] (sum 6), G0 = [0.5, -1; -1, 2]; A1 = [2, 3; 1, 1] (sum 7), G1 = [0, 1; 0, -2].
     */
    static final Tensor HAND_A = tensor(new int[] {1, 2, 2, 2}, 1, -2, 3, 4, 2, 3, 1, 1);
    static final Tensor HAND_G = tensor(new int[] {1, 2, 2, 2}, 0.5f, -1, -1, 2, 0, 1, 0, -2);

    private Fixtures() {
    }

    static Tensor tensor(int[] shape, float... values) {
        return Tensor.copyOf(values, shape);
    }

    static Tensor random(Random random, int[] shape, float low, float high) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = low + random.nextFloat() * (high - low);
        }
        return Tensor.copyOf(values, shape);
    }

    static Tensor scaled(Tensor t, float factor) {
        float[] values = t.toArray();
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return Tensor.copyOf(values, t.shape());
    }

    static LayerData layer(Tensor activations, Tensor gradients) {
        return layer("layer", activations, gradients, FakeProbe.builder().build());
    }

    static LayerData layer(String name, Tensor activations, Tensor gradients, ModelProbe probe) {
        return new LayerData(name, activations, gradients, new float[activations.dim(0)], probe, Map.of());
    }

    /** Runs a method and checks it returned channel contributions shaped like the activations. */
    static float[] contributions(CamMethod method, LayerData data) {
        CamMaps maps = method.compute(data);
        if (maps.kind() != CamMaps.Kind.SUM
                || !java.util.Arrays.equals(maps.maps().shape(), data.activations().shape())) {
            throw new AssertionError(method + " must return SUM contributions shaped like the activations, got "
                    + maps.kind() + " " + maps.maps());
        }
        return maps.maps().toArray();
    }

    /** The channel sum of contributions {@code [N, C, h, w]}: {@code [N * h * w]}. */
    static float[] channelSum(float[] contributions, int[] shape) {
        int n = shape[0], c = shape[1], area = shape[2] * shape[3];
        float[] out = new float[n * area];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < area; p++) {
                    out[i * area + p] += contributions[(i * c + k) * area + p];
                }
            }
        }
        return out;
    }
}
