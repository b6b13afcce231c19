package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.camkit.api.LayerAggregation;
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
        float[] out = CamOps.aggregate(List.of(new float[] {0, 1, 0.5f}, new float[] {0, 0, 1}),
                LayerAggregation.MEAN);
        // mean = {0, 0.5, 0.75} -> / 0.75
        assertArrayEquals(new float[] {0, 0.5f / 0.75f, 1}, out, 1e-6f);
    }

    @Test
    void productMultipliesEachLayersOwnNormalisedMapThenRenormalises() {
        // layer 1 normalises to {0, 1, 0.5, 0.25}; layer 2 (range 2..6) to {1, 0.25, 0.5, 0}
        float[] out = CamOps.aggregate(List.of(new float[] {0, 4, 2, 1}, new float[] {6, 3, 4, 2}),
                LayerAggregation.PRODUCT);
        // product {0, 0.25, 0.25, 0} -> / 0.25
        assertArrayEquals(new float[] {0, 1, 1, 0}, out, 1e-5f);
    }

    @Test
    void productIgnoresWhatOneLayerLeavesOutEvenWhenTheMeanWouldKeepIt() {
        float[] mean = CamOps.aggregate(List.of(new float[] {1, 0, 1, 0}, new float[] {1, 1, 0, 0}),
                LayerAggregation.MEAN);
        float[] product = CamOps.aggregate(List.of(new float[] {1, 0, 1, 0}, new float[] {1, 1, 0, 0}),
                LayerAggregation.PRODUCT);
        assertArrayEquals(new float[] {1, 0.5f, 0.5f, 0}, mean, 1e-6f);
        assertArrayEquals(new float[] {1, 0, 0, 0}, product, 1e-6f);
    }

    @Test
    void oneLayerIsTheSameMapWhicheverTheAggregation() {
        float[] one = {-1, 2, 4};
        assertArrayEquals(CamOps.aggregate(List.of(one.clone()), LayerAggregation.MEAN),
                CamOps.aggregate(List.of(one.clone()), LayerAggregation.PRODUCT));
    }

    /** Channels {@code c_k * M}: the centred matrix is (M - mean M) c^T, whose projection is (M - mean M)|c|. */
}
