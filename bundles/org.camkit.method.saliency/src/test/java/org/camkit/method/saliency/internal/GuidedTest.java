package org.camkit.method.saliency.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class GuidedTest {

    private static final Tensor INPUT = Tensor.copyOf(new float[6], new int[] {1, 3, 1, 2});

    @Test
    void guidedBackpropSaliencyIsTheLargestAbsoluteGradientOverColours() {
        Tensor guided = Tensor.copyOf(new float[] {1, -5, -2, 3, 0.5f, 4}, new int[] {1, 3, 1, 2});
        CamMaps maps = new GuidedBackprop().compute(new LayerData(null, null, null, new float[1],
                FakeProbe.builder().input(INPUT).guidedGradients(guided).build(), Map.of()));
        assertEquals(CamMaps.Kind.MAP, maps.kind());
        assertArrayEquals(new int[] {1, 1, 1, 2}, maps.maps().shape());
        assertArrayEquals(new float[] {2, 5}, maps.maps().toArray());
    }

    @Test
    void guidedGradCamReturnsTheGradCamContributions() {
        Tensor acts = Tensor.copyOf(new float[] {1, 2, 3, 4}, new int[] {1, 2, 1, 2});
        Tensor grads = Tensor.copyOf(new float[] {1, 3, -1, -1}, new int[] {1, 2, 1, 2});
        CamMaps maps = new GuidedGradCam().compute(new LayerData("layer", acts, grads, new float[1],
                FakeProbe.builder().input(INPUT).build(), Map.of()));
        assertEquals(CamMaps.Kind.SUM, maps.kind());
        // weights: mean {1, 3} = 2, mean {-1, -1} = -1
        assertArrayEquals(new float[] {2, 4, -3, -4}, maps.maps().toArray());
    }

    @Test
    void declaresWhatEachGuidedMethodNeeds() {
        assertEquals(Set.of(Capability.GUIDED_BACKPROP), new GuidedBackprop().requires());
        assertEquals(Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS, Capability.GUIDED_BACKPROP),
                new GuidedGradCam().requires());
    }
}
