package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class CamsTest {
    /** One image, two channels of 1 x 2: channel 0 = {1, 2}, channel 1 = {3, 5}. */
    private static final Tensor A = Tensor.copyOf(new float[] {1, 2, 3, 5}, new int[] {1, 2, 1, 2});

    @Test
    void channelSumsAndMeansAreTakenOverEachChannelsPositions() {
        assertArrayEquals(new float[] {3, 8}, Cams.channelSums(A)[0]);
        assertArrayEquals(new float[] {1.5f, 4}, Cams.channelMeans(A)[0]);
    }

    @Test
    void weightedSumAddsTheChannelsScaledByTheirWeights() {
        Tensor map = Cams.weightedSum(A, new float[][] {{2, -1}});

        assertArrayEquals(new int[] {1, 1, 2}, map.shape());
        assertArrayEquals(new float[] {2 - 3, 4 - 5}, map.toArray());
    }

    @Test
    void contributionsScaleEveryChannelByItsWeight() {
        Tensor a = Tensor.copyOf(new float[] {1, 2, 3, 4}, new int[] {1, 2, 1, 2});
        Tensor c = Cams.contributions(a, new float[][] {{2, -1}});
        assertArrayEquals(new float[] {2, 4, -3, -4}, c.toArray());
        assertArrayEquals(a.shape(), c.shape());
    }
}
