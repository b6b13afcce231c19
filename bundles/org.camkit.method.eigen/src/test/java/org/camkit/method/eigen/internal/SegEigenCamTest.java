package org.camkit.method.eigen.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.camkit.spi.CamMaps;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class SegEigenCamTest {

    /** Two channels, each a multiple of one spatial pattern: |G| ⊙ A has rank one. */
    private static float[] map(float[] pattern, float[] gradients) {
        float[] a = new float[2 * pattern.length];
        for (int p = 0; p < pattern.length; p++) {
            a[p] = pattern[p];
            a[pattern.length + p] = 2 * pattern[p];
        }
        Tensor activations = Tensor.of(a, 1, 2, 2, 2);
        LayerData data = new LayerData("layer", activations, Tensor.of(gradients, 1, 2, 2, 2), new float[1],
                FakeProbe.builder().build(), Map.of());
        CamMaps maps = new SegEigenCam().compute(data);
        assertEquals(CamMaps.Kind.SUM, maps.kind());
        assertEquals(1, maps.maps().dim(1), "one finished channel");
        return maps.maps().toArray();
    }

    @Test
    void theProjectionOfAbsoluteGradientsTimesActivationsHasItsLargerExtremePositive() {
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        float[] negated = {-1, -1, -1, -1, -1, -1, -1, -1};
        // centred pattern {-1, -1, -1, 3} x |(1, 2)|: the larger extreme, 3, is kept positive
        float[] up = map(new float[] {0, 0, 0, 4}, ones);
        float norm = (float) Math.sqrt(5);
        assertArrayEquals(new float[] {-norm, -norm, -norm, 3 * norm}, up, 1e-4f);
        // centred {1, 1, 1, -3}: flipped, so that the larger extreme is positive again
        assertArrayEquals(up, map(new float[] {4, 4, 4, 0}, ones), 1e-4f);
        // the gradients' signs do not matter, only their magnitudes
        assertArrayEquals(up, map(new float[] {0, 0, 0, 4}, negated), 1e-4f);
    }
}
