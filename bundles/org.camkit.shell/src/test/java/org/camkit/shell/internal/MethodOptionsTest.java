package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class MethodOptionsTest {

    @Test
    void nameValuePairsAreSplitAtTheFirstEqualsSignAndTrimmed() {
        Map<String, String> options = MethodOptions.parse(
                List.of("batch-size=32", " ratio-channels-to-ablate = 0.5", "components=a=b"));

        assertEquals(List.of("batch-size", "ratio-channels-to-ablate", "components"), List.copyOf(options.keySet()));
        assertEquals("32", options.get("batch-size"));
        assertEquals("0.5", options.get("ratio-channels-to-ablate"));
        assertEquals("a=b", options.get("components"));
    }

    @Test
    void noOptionsGiveAnEmptyMap() {
        assertEquals(Map.of(), MethodOptions.parse(List.of()));
    }

    @Test
    void malformedOptionsAreRefusedNamingThemAndTheForm() {
        for (String bad : List.of("batch-size", "=32", "batch-size=", "batch size=3", "stride: 4")) {
            CamException e = assertThrows(CamException.class, () -> MethodOptions.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("--option '" + bad + "'") && e.getMessage().contains("name=value"),
                    e.getMessage());
        }
    }

    @Test
    void anOptionGivenTwiceIsRefusedWithBothValues() {
        CamException e = assertThrows(CamException.class,
                () -> MethodOptions.parse(List.of("patch=8", "stride=4", "patch=16")));

        assertTrue(e.getMessage().contains("patch") && e.getMessage().contains("8 and 16"), e.getMessage());
    }
}
