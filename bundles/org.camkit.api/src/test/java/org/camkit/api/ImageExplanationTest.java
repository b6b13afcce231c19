package org.camkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageExplanationTest {

    private static ImageExplanation withMap(float... cam) {
        return new ImageExplanation("<pixels 2x2>", new RgbImage(2, 2, new byte[12]), cam, new float[] {1, 2}, 1,
                "b", "class 1", 2, 1, null, List.of());
    }

    @Test
    void aMapWithNoValueAboveZeroIsFlat() {
        assertTrue(withMap(0, 0, 0, 0).flat());
        assertTrue(withMap(0, Float.NaN, 0, 0).flat(), "NaN shows nothing either");
        assertFalse(withMap(0, 0, 1e-6f, 0).flat());
        assertFalse(withMap(1, 1, 1, 1).flat());
    }

    @Test
    void thePeakIsTheFirstLargestValueInRowMajorOrder() {
        assertEquals(2, withMap(0f, 0.2f, 0.9f, 0.9f).peak());
        assertEquals(1, withMap(0f, 0.7f, 0f, 0f).peak());
        assertEquals(0, withMap(0, 0, 0, 0).peak(), "a flat map's peak is the first pixel");
    }
}
