package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CamOpsTest {
    @Test
    void reluClampsNegativesAndNaN() {
        assertArrayEquals(new float[] {0, 0, 2}, CamOps.relu(new float[] {-1, Float.NaN, 2}));
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

    /** Channels {@code c_k * M}: the centred matrix is (M - mean M) c^T, whose projection is (M - mean M)|c|. */
}
