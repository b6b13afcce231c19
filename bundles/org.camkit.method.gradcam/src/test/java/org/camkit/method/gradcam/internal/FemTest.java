package org.camkit.method.gradcam.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class FemTest {

    private static LayerData data(Tensor activations, Map<String, String> options) {
        return new LayerData("layer", activations, null, new float[activations.dim(0)], FakeProbe.builder().build(),
                options);
    }

    @Test
    void aChannelsWeightIsTheShareOfItsPositionsAboveMeanPlusKPopulationDeviations() {
        // channel 0: {0, 0, 0, 4}: mean 1, population std sqrt(3) = 1.732; k = 1: threshold 2.73, one position above
        // channel 1: {1, 1, 1, 1}: std 0, threshold 1, none above (strictly greater)
        Tensor a = Tensor.of(new float[] {0, 0, 0, 4, 1, 1, 1, 1}, 1, 2, 2, 2);
        float[] contributions = new Fem().compute(data(a, Map.of("k", "1"))).maps().toArray();
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0}, contributions, 1e-6f);
        // k = 0: threshold = the mean; channel 0 has one position above its mean 1
        float[] k0 = new Fem().compute(data(a, Map.of("k", "0"))).maps().toArray();
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0}, k0, 1e-6f);
        // k = -1: threshold 1 - 1.732 < 0: every position of channel 0 is above, weight 1
        float[] negative = new Fem().compute(data(a, Map.of("k", "-1"))).maps().toArray();
        assertArrayEquals(new float[] {0, 0, 0, 4, 0, 0, 0, 0}, negative, 1e-6f);
    }

    @Test
    void aMalformedKNamesTheOption() {
        Tensor a = Tensor.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2);
        assertThrows(CamException.class, () -> new Fem().compute(data(a, Map.of("k", "two"))));
        assertThrows(CamException.class, () -> new Fem().compute(data(a, Map.of("k", "NaN"))));
    }
}
