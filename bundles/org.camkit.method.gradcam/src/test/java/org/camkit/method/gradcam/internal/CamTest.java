package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.camkit.method.gradcam.internal.Fixtures.layer;
import static org.camkit.method.gradcam.internal.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.camkit.api.CamException;
import org.camkit.spi.LinearHead;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class CamTest {

    /** Two classes, two channels: W = [[1, 2], [3, -1]]. */
    private static final LinearHead HEAD = new LinearHead("layer4", tensor(new int[] {2, 2}, 1, 2, 3, -1),
            new float[] {0.5f, 0});

    /** Two images with the same activations: channel 0 = [1, 2; 3, 4], channel 1 = [1, 0; 0, 1]. */
    private static final Tensor ACTIVATIONS = tensor(new int[] {2, 2, 2, 2},
            1, 2, 3, 4, 1, 0, 0, 1,
            1, 2, 3, 4, 1, 0, 0, 1);

    @Test
    void weightsAreTheHeadRowsWeightedByEachImagesSeed() {
        // image 0, seed [0, 1] (class 1): w = W[1] = (3, -1)
        //   -> 3 * [1, 2, 3, 4] = [3, 6, 9, 12]; -1 * [1, 0, 0, 1] = [-1, 0, 0, -1]
        // image 1, seed [0.5, -1]: w = 0.5 * (1, 2) - (3, -1) = (-2.5, 2)
        //   -> [-2.5, -5, -7.5, -10]; [2, 0, 0, 2]
        FakeProbe probe = FakeProbe.builder().seeds(new float[][] {{0, 1}, {0.5f, -1}}).linearHead(HEAD).build();
        float[] expected = {3, 6, 9, 12, -1, 0, 0, -1, -2.5f, -5, -7.5f, -10, 2, 0, 0, 2};
        assertArrayEquals(expected, contributions(new Cam(), layer("layer4", ACTIVATIONS, null, probe)), 1e-6f);
    }

    @Test
    void refusesALayerOtherThanTheOneFeedingThePool() {
        FakeProbe probe = FakeProbe.builder().seeds(new float[][] {{0, 1}, {0, 1}}).linearHead(HEAD).build();
        CamException e = assertThrows(CamException.class,
                () -> new Cam().compute(layer("layer3", ACTIVATIONS, null, probe)));
        assertTrue(e.getMessage().contains("global average pool") && e.getMessage().contains("'layer4'")
                && e.getMessage().contains("'layer3'"), e.getMessage());
    }

    @Test
    void refusesAHeadWhoseChannelsDoNotMatchTheActivations() {
        LinearHead wide = new LinearHead("layer4", tensor(new int[] {1, 3}, 1, 2, 3), new float[] {0});
        FakeProbe probe = FakeProbe.builder().seeds(new float[][] {{1}, {1}}).linearHead(wide).build();
        CamException e = assertThrows(CamException.class,
                () -> new Cam().compute(layer("layer4", ACTIVATIONS, null, probe)));
        assertTrue(e.getMessage().contains("3 input channels"), e.getMessage());
    }
}
