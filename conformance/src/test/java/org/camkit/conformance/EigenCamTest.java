package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import org.camkit.core.internal.Pipeline;
import org.camkit.method.eigen.internal.EigenCam;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

/**
 * EigenCAM through the core on activations {@code A_k = c_k M} (a 1x1 convolution of the input's first channel M):
 * the first principal component is {@code M - mean(M)} up to scale, its sign following the plain channel sum.
 */
class EigenCamTest {

    private static final int SIZE = 8;
    private static final int AREA = SIZE * SIZE;

    /** Input whose first channel is M (random in [-1, 3)); the other channels are ignored by the network. */
    private static Tensor input(float[] m) {
        Random random = new Random(3);
        float[] data = new float[3 * AREA];
        for (int p = 0; p < AREA; p++) {
            m[p] = random.nextFloat() * 4 - 1;
            data[p] = m[p];
            data[AREA + p] = random.nextFloat();
            data[2 * AREA + p] = random.nextFloat();
        }
        return Tensor.copyOf(data, new int[] {1, 3, SIZE, SIZE});
    }

    /** @return the core's map for EigenCAM on the rank-one network */
    private static float[] eigenCam(float[] c, Tensor input) {
        try (LoadedModel model = Models.rankOne(c, SIZE)) {
            Pipeline pipeline = Models.pipeline(model, new EigenCam(), "0", List.of("conv"));
            return pipeline.run(input, false).get(0).cam();
        }
    }

    /** ReLU then min-max normalisation of {@code sign * (M - mean M)}: what the core makes of the projection. */
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
        float[] m = new float[AREA];
        Tensor input = input(m);
        assertArrayEquals(expected(m, 1), eigenCam(new float[] {0.5f, 2f, 1f, 0.25f}, input), 1e-4f);
    }

    @Test
    void theSignFollowsThePlainChannelSum() {
        float[] m = new float[AREA];
        Tensor input = input(m);
        // every c_k negative: the channel sum is -(sum |c|) M, so the projection is -(M - mean M) up to scale
        assertArrayEquals(expected(m, -1), eigenCam(new float[] {-0.5f, -2f, -1f}, input), 1e-4f);
    }
}
