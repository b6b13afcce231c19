package org.camkit.method.eigen.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.camkit.spi.CamMaps;
import org.camkit.spi.LayerData;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

/**
 * EigenCAM on activations {@code A_k = c_k M} (what a 1x1 convolution of an input channel M gives), finished as the
 * core finishes a projection (the first principal component, ReLU, min-max): the component is {@code M - mean(M)} up
 * to scale, its sign following the plain channel sum.
 */
class RankOneProjectionTest {

    private static final int SIZE = 8;
    private static final int AREA = SIZE * SIZE;

    /** M, random in [-1, 3). */
    private static float[] m() {
        Random random = new Random(3);
        float[] m = new float[AREA];
        for (int p = 0; p < AREA; p++) {
            m[p] = random.nextFloat() * 4 - 1;
        }
        return m;
    }

    /** @return the finished EigenCAM map of {@code A_k = c_k M} */
    private static float[] eigenCam(float[] c, float[] m) {
        float[] a = new float[c.length * AREA];
        for (int i = 0; i < a.length; i++) {
            a[i] = c[i / AREA] * m[i % AREA];
        }
        Tensor activations = Tensor.of(a, 1, c.length, SIZE, SIZE);
        CamMaps maps = new EigenCam().compute(new LayerData("conv", activations, null, new float[1],
                FakeProbe.builder().build(), Map.of()));
        assertEquals(CamMaps.Kind.PROJECTION, maps.kind());
        float[] map = MapProcessing.project(maps.maps(), 0, c.length, AREA);
        for (int p = 0; p < AREA; p++) {
            map[p] = Math.max(map[p], 0);
        }
        return MapProcessing.normalize(map);
    }

    /** ReLU then min-max normalisation of {@code sign * (M - mean M)}. */
    private static float[] expected(float[] m, int sign) {
        float mean = 0;
        for (float v : m) {
            mean += v / AREA;
        }
        float[] out = new float[AREA];
        for (int p = 0; p < AREA; p++) {
            out[p] = Math.max(sign * (m[p] - mean), 0);
        }
        return MapProcessing.normalize(out);
    }

    @Test
    void rankOneActivationsGiveTheCentredMap() {
        float[] m = m();
        assertArrayEquals(expected(m, 1), eigenCam(new float[] {0.5f, 2f, 1f, 0.25f}, m), 1e-4f);
    }

    @Test
    void theSignFollowsThePlainChannelSum() {
        float[] m = m();
        // every c_k negative: the channel sum is -(sum |c|) M, so the projection is -(M - mean M) up to scale
        assertArrayEquals(expected(m, -1), eigenCam(new float[] {-0.5f, -2f, -1f}, m), 1e-4f);
    }
}
