package org.camkit.method.saliency.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.Capability;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class FullGradTest {

    @Test
    void sumsSeparatelyScaledInputChannelsAndChannelSummedBiasTerms() {
        Tensor x = Tensor.copyOf(new float[] {1, 2, 3, 4, 1, 1, 1, 1, 2, 0, 0, 0}, new int[] {1, 3, 2, 2});
        Tensor dx = Tensor.copyOf(new float[] {1, 1, 1, 1, 0, 0, 0, 0, -1, 5, 5, 5}, new int[] {1, 3, 2, 2});
        // |x * dx| per colour: {1, 2, 3, 4} -> {0, 1/3, 2/3, 1}; {0, 0, 0, 0} -> 0; {2, 0, 0, 0} -> {1, 0, 0, 0}
        Map<String, Tensor> bias = new LinkedHashMap<>();
        // a 1 x 2 conv term: channel {-3, 1} -> {1, 0}, resized to 2 x 2 by repeating the row; channel {2, 2} -> 0
        bias.put("conv", Tensor.copyOf(new float[] {-3, 1, 2, 2}, new int[] {1, 2, 1, 2}));
        // a linear layer's 1 x 1 term scales to 0
        bias.put("fc", Tensor.copyOf(new float[] {7, -1, 4}, new int[] {1, 3, 1, 1}));
        FakeProbe probe = FakeProbe.builder().input(x)
                .inputGradients(new InputGradients(Tensor.copyOf(new float[3], new int[] {1, 3}), dx, bias)).build();

        CamMaps maps = new FullGrad().compute(new LayerData(null, null, null, new float[1], probe, Map.of()));

        assertEquals(CamMaps.Kind.MAP, maps.kind());
        assertArrayEquals(new int[] {1, 1, 2, 2}, maps.maps().shape());
        float third = 1f / 3;
        assertArrayEquals(new float[] {0 + 0 + 1 + 1, third + 0 + 0 + 0, 2 * third + 0 + 0 + 1, 1 + 0 + 0 + 0},
                maps.maps().toArray(), 1e-6f);
    }

    @Test
    void needsInputAndBiasGradientsNotActivations() {
        assertEquals(Set.of(Capability.INPUT_GRADIENTS, Capability.BIAS_GRADIENTS), new FullGrad().requires());
    }
}
