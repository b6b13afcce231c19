package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class RepeatedOptionsTest {
    private static final Map<String, String> FLAGS = Map.of("-l", "layer", "--layer", "layer", "--option", "option");

    @Test
    void theFirstValueComesFirstAndLaterOccurrencesFollowInOrder() {
        Map<String, List<String>> values = RepeatedOptions.collect("cam:explain", first("layer3", ""), FLAGS,
                new String[] {"--option", "patch=8", "-l", "layer4", "--layer", "layer5", "--option", "stride=4"});

        assertEquals(List.of("layer3", "layer4", "layer5"), values.get("layer"));
        assertEquals(List.of("patch=8", "stride=4"), values.get("option"));
    }

    @Test
    void absentOptionsGiveEmptyLists() {
        Map<String, List<String>> values = RepeatedOptions.collect("cam:explain", first("", ""), FLAGS,
                new String[0]);

        assertEquals(List.of(), values.get("layer"));
        assertEquals(List.of(), values.get("option"));
    }

    @Test
    void aValueWithoutItsOptionIsRefusedNamingIt() {
        CamException e = assertThrows(CamException.class, () -> RepeatedOptions.collect("cam:compare",
                first("", ""), FLAGS, new String[] {"--layer", "a", "b.png"}));

        assertTrue(e.getMessage().startsWith("cam:compare: unexpected argument 'b.png'"), e.getMessage());
    }

    @Test
    void aRepeatedOptionWithoutValueIsRefused() {
        CamException e = assertThrows(CamException.class, () -> RepeatedOptions.collect("cam:explain",
                first("a", ""), FLAGS, new String[] {"--layer"}));

        assertTrue(e.getMessage().contains("--layer needs a value"), e.getMessage());
    }

    private static Map<String, String> first(String layer, String option) {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("layer", layer);
        first.put("option", option);
        return first;
    }
}
