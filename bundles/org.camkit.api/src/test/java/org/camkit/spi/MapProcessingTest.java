package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MapProcessingTest {
    @Test
    void normalizeMapsMinToZeroAndMaxToOneWithEpsilon() {
        float[] map = MapProcessing.normalize(new float[] {2, 4, 6});
        float denominator = 4 + MapProcessing.EPS;
        assertArrayEquals(new float[] {0, 2 / denominator, 4 / denominator}, map, 1e-7f);
    }

    @Test
    void normalizeOfAConstantMapIsZeroNotNaN() {
        assertArrayEquals(new float[] {0, 0, 0, 0}, MapProcessing.normalize(new float[] {3, 3, 3, 3}));
    }

    @Test
    void upsamplingTwoByTwoToFourByFourMatchesOpenCvInterLinear() {
        // cv2.resize(np.float32([[0, 1], [2, 3]]), (4, 4)): half-pixel centres, clamped borders
        float[] out = MapProcessing.resize(new float[] {0, 1, 2, 3}, 2, 2, 4, 4);
        assertArrayEquals(new float[] {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f}, out, 1e-6f);
    }

    @Test
    void downsamplingAveragesTheTwoCentralNeighbours() {
        // dst x=0 samples src x=0.5, dst x=1 samples src x=2.5
        assertArrayEquals(new float[] {0.5f, 2.5f}, MapProcessing.resize(new float[] {0, 1, 2, 3}, 4, 1, 2, 1), 1e-6f);
    }

    @Test
    void nonSquareResizeKeepsRowMajorLayout() {
        float[] out = MapProcessing.resize(new float[] {0, 10}, 2, 1, 4, 2);
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10, 0, 2.5f, 7.5f, 10}, out, 1e-6f);
    }

    private static void assertRankOneProjection(float[] c) {
        float[] m = {1, 4, 2, 7};
        float mean = (1 + 4 + 2 + 7) / 4f;
        float[] data = new float[c.length * 4];
        double norm = 0;
        double sum = 0;
        for (int k = 0; k < c.length; k++) {
            norm += c[k] * c[k];
            sum += c[k];
            for (int p = 0; p < 4; p++) {
                data[k * 4 + p] = c[k] * m[p];
            }
        }
        float[] projection = MapProcessing.project(Tensor.of(data, data.length), 0, c.length, 4);
        double scale = Math.sqrt(norm) * Math.signum(sum);
        for (int p = 0; p < 4; p++) {
            assertEquals((m[p] - mean) * scale, projection[p], 1e-4);
        }
    }

    @Test
    void projectionOfRankOneChannelsIsTheCentredMapWhenChannelsAreFewerThanPixels() {
        assertRankOneProjection(new float[] {0.5f, 2f, 1f});
    }

    @Test
    void projectionOfRankOneChannelsIsTheCentredMapWhenChannelsOutnumberPixels() {
        assertRankOneProjection(new float[] {0.5f, 2f, 1f, 0.1f, 3f, 0.7f});
    }

    @Test
    void projectionSignFollowsThePlainChannelSum() {
        assertRankOneProjection(new float[] {-0.5f, -2f, -1f});
        // two orthogonal centred channels; the stronger one (variance 9 vs 1) is the first component
        float[] strongPositive = {3, -3, 3, -3, 1, 1, -1, -1};
        assertArrayEquals(new float[] {3, -3, 3, -3}, MapProcessing.project(Tensor.of(strongPositive, 8), 0, 2, 4), 1e-4f);
        float[] strongNegative = {-3, 3, -3, 3, 1, 1, -1, -1};
        assertArrayEquals(new float[] {-3, 3, -3, 3}, MapProcessing.project(Tensor.of(strongNegative, 8), 0, 2, 4), 1e-4f);
    }

    @Test
    void projectionReadsTheImageAtItsOffset() {
        float[] two = {9, 9, 9, 9, 9, 9, 9, 9, 3, -3, 3, -3, 1, 1, -1, -1};
        assertArrayEquals(new float[] {3, -3, 3, -3}, MapProcessing.project(Tensor.of(two, 16), 8, 2, 4), 1e-4f);
    }

    @Test
    void pearsonIsOneForALinearRelationMinusOneReversedAndMatchesAHandComputedCase() {
        assertEquals(1.0, MapProcessing.pearson(new float[] {1, 2, 3, 4}, new float[] {3, 5, 7, 9}), 1e-12);
        assertEquals(-1.0, MapProcessing.pearson(new float[] {1, 2, 3}, new float[] {2, 1, 0}), 1e-12);
        // a = (1, 2, 3), b = (1, 3, 2): deviations (-1, 0, 1) and (-1, 1, 0): r = 1 / sqrt(2 * 2) = 0.5
        assertEquals(0.5, MapProcessing.pearson(new float[] {1, 2, 3}, new float[] {1, 3, 2}), 1e-12);
        assertTrue(Double.isNaN(MapProcessing.pearson(new float[] {1, 1}, new float[] {1, 2})));
        assertThrows(IllegalArgumentException.class, () -> MapProcessing.pearson(new float[] {1}, new float[] {1, 2}));
    }
}
