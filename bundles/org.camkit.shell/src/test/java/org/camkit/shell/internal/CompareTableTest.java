package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camkit.api.Comparison;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class CompareTableTest {

    @Test
    void oneRowPerMethodWithTargetTimeAndPeakOrTheError() {
        Comparison comparison = new Comparison(List.of(
                new Comparison.Entry("gradcam", explanation("class 3 (duck)", 4), null, Duration.ofMillis(84)),
                new Comparison.Entry("scorecam", explanation("class 3 (duck)", 7), null, Duration.ofMillis(12_340)),
                new Comparison.Entry("fullgrad", null, "model 'm' does not provide\nBIAS_GRADIENTS",
                        Duration.ofMillis(1))),
                new RgbImage(1, 1, new byte[3]));

        assertEquals("""
                METHOD    TARGET          TIME    PEAK (x,y) OR ERROR
                gradcam   class 3 (duck)  84 ms   (1,1)
                scorecam  class 3 (duck)  12.3 s  (1,2)
                fullgrad  -               1 ms    error: model 'm' does not provide BIAS_GRADIENTS
                """, CompareTable.format(comparison));
    }

    @Test
    void timesBelowTenSecondsAreMillisecondsAboveSecondsWithOneDecimal() {
        assertEquals("0 ms", CompareTable.time(Duration.ofNanos(400_000)));
        assertEquals("9999 ms", CompareTable.time(Duration.ofMillis(9_999)));
        assertEquals("10.0 s", CompareTable.time(Duration.ofMillis(10_000)));
        assertEquals("-", CompareTable.time(null));
    }

    // A 3x3 map whose single largest value is at row-major index {@code peak}.
    private static Explanation explanation(String target, int peak) {
        float[] cam = new float[9];
        cam[peak] = 1f;
        ImageExplanation image = new ImageExplanation("duck.png", new RgbImage(3, 3, new byte[27]), cam,
                new float[] {1f}, 0, "duck", target, 1f, 3, null, List.of());
        return new Explanation("m", "pytorch", "gradcam", List.of("layer4"), List.of(), List.of(image), Map.of());
    }
}
