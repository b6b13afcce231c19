package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CamOpsTest {

    @Test
    void normalizeMapsMinToZeroAndMaxToOneWithEpsilon() {
        float[] map = CamOps.normalize(new float[] {2, 4, 6});
        float denominator = 4 + CamOps.EPS;
        assertArrayEquals(new float[] {0, 2 / denominator, 4 / denominator}, map, 1e-7f);
    }

    @Test
    void normalizeOfAConstantMapIsZeroNotNaN() {
        assertArrayEquals(new float[] {0, 0, 0, 0}, CamOps.normalize(new float[] {3, 3, 3, 3}));
    }

    @Test
    void reluClampsNegativesAndNaN() {
        assertArrayEquals(new float[] {0, 0, 2}, CamOps.relu(new float[] {-1, Float.NaN, 2}));
    }

    @Test
    void upsamplingTwoByTwoToFourByFourMatchesOpenCvInterLinear() {
        // cv2.resize(np.float32([[0, 1], [2, 3]]), (4, 4)): half-pixel centres, clamped borders
        float[] out = CamOps.resize(new float[] {0, 1, 2, 3}, 2, 2, 4, 4);
        assertArrayEquals(new float[] {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f}, out, 1e-6f);
    }

    @Test
    void downsamplingAveragesTheTwoCentralNeighbours() {
        // dst x=0 samples src x=0.5, dst x=1 samples src x=2.5
        assertArrayEquals(new float[] {0.5f, 2.5f}, CamOps.resize(new float[] {0, 1, 2, 3}, 4, 1, 2, 1), 1e-6f);
    }

    @Test
    void nonSquareResizeKeepsRowMajorLayout() {
        float[] out = CamOps.resize(new float[] {0, 10}, 2, 1, 4, 2);
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10, 0, 2.5f, 7.5f, 10}, out, 1e-6f);
    }

    @Test
    void perLayerAppliesReluBeforeNormalising() {
        float[] out = CamOps.perLayer(new float[] {-4, 0, 2, 4}, 2, 2, 2, 2);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[1]);
        assertEquals(0.5f, out[2], 1e-6f);
        assertEquals(1f, out[3], 1e-6f);
    }

    @Test
    void aggregateAveragesLayersAndRenormalises() {
        float[] out = CamOps.aggregate(List.of(new float[] {0, 1, 0.5f}, new float[] {0, 0, 1}));
        // mean = {0, 0.5, 0.75} -> / 0.75
        assertArrayEquals(new float[] {0, 0.5f / 0.75f, 1}, out, 1e-6f);
    }
}
