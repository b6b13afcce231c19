package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class RandomCamTest {

    /** NumPy 2.4's {@code np.random.seed(s); np.random.uniform(-1, 1, size=(2, 3)).ravel()}, s = 0 and 2^32 - 1. */
    private static final double[] NUMPY_SEED_0 = {0.0976270078546495, 0.43037873274483895, 0.20552675214328775,
        0.08976636599379373, -0.15269040132219058, 0.29178822613331223};
    private static final double[] NUMPY_SEED_MAX = {-0.8047359420119724, 0.8247656906052436, 0.5780706037032799,
        0.5600071962269355, -0.9641206520265095, 0.9390118644295049};

    private static double[] draws(long seed, int count) {
        NumpyRandom random = new NumpyRandom(seed);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.uniform(-1, 1);
        }
        return out;
    }

    @Test
    void theWeightsAreNumpysDrawForDraw() {
        assertArrayEquals(NUMPY_SEED_0, draws(0, 6), 0);
        assertArrayEquals(NUMPY_SEED_MAX, draws(4294967295L, 6), 0);
        // past the first 624 words the generator regenerates its state: np.random.seed(7), the 700th of 700 draws
        assertEquals(-0.3225686201534623, draws(7, 700)[699], 0);
    }

    private static LayerData layer(Tensor activations, Map<String, String> options) {
        return new LayerData("layer", activations, null, new float[activations.dim(0)], FakeProbe.builder().build(),
                options);
    }

    @Test
    void contributionsAreActivationsTimesTheSeededWeightsDrawnForTheBatchRowByRow() {
        // two images of three 1x1 channels, all activations 1: the contributions are the weights themselves
        Tensor ones = tensor(new int[] {2, 3, 1, 1}, 1, 1, 1, 1, 1, 1);
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = (float) NUMPY_SEED_0[i];
        }
        assertArrayEquals(expected, contributions(new RandomCam(), layer(ones, Map.of())), 0f, "default seed 0");
        float[] max = contributions(new RandomCam(), layer(ones, Map.of("seed", "4294967295")));
        assertEquals((float) NUMPY_SEED_MAX[3], max[3]);
    }

    @Test
    void aSeedThatNumpyWouldRefuseIsNamed() {
        Tensor ones = tensor(new int[] {1, 1, 1, 1}, 1);
        for (String bad : List.of("-1", "4294967296", "x", "", "1.5")) {
            CamException e = assertThrows(CamException.class,
                    () -> new RandomCam().compute(layer(ones, Map.of("seed", bad))), bad);
            assertTrue(e.getMessage().contains("option 'seed' must be a whole number from 0 to 4294967295"),
                    e.getMessage());
        }
    }
}
