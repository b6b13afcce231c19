package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class ResultJsonTest {

    private static Explanation explanation(Map<String, Double> details) {
        ImageExplanation image = new ImageExplanation("a.png", new RgbImage(2, 1, new byte[6]), new float[] {0, 1},
                new float[] {1f, 2f}, 1, "b", "class 1 (b)", 2f, 1, null, List.of(), details);
        return new Explanation("m", "pytorch", "lime", List.of(), List.of("a", "b"), List.of(image),
                Map.of("cam", Duration.ofMillis(3)));
    }

    @Test
    void theMethodsDetailsAreWrittenByName() {
        JsonObject json = JsonParser.parseString(ResultJson.of(explanation(Map.of("r2", 0.75, "passes", 1000.0)), 0))
                .getAsJsonObject();
        JsonObject details = json.getAsJsonObject("details");
        assertEquals(0.75, details.get("r2").getAsDouble());
        assertEquals(1000, details.get("passes").getAsInt());
    }

    @Test
    void aMethodWithoutDetailsWritesNone() {
        JsonObject json = JsonParser.parseString(ResultJson.of(explanation(Map.of()), 0)).getAsJsonObject();
        assertFalse(json.has("details"));
    }
}
