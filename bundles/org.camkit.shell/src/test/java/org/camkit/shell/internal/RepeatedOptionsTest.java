package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class RepeatedOptionsTest {

    @Test
    void theFirstValueComesFirstAndLaterOccurrencesFollowInOrder() {
        RepeatedOptions values = RepeatedOptions.collect("cam:explain", "layer3", Args.ABSENT,
                "--option", "patch=8", "-l", "layer4", "--layer", "layer5", "--option", "stride=4");

        assertEquals(List.of("layer3", "layer4", "layer5"), values.layers());
        assertEquals(List.of("patch", "stride"), List.copyOf(values.methodOptions().keySet()));
        assertEquals(Map.of("patch", "8", "stride", "4"), values.methodOptions());
    }

    @Test
    void everyLayerValueMayBeACommaList() {
        RepeatedOptions values = RepeatedOptions.collect("cam:explain", "layer2", Args.ABSENT,
                "--layer", "layer3, layer4");

        assertEquals(List.of("layer2", "layer3", "layer4"), values.layers());
    }

    @Test
    void absentOptionsGiveNoLayersAndNoMethodOptions() {
        RepeatedOptions values = RepeatedOptions.collect("cam:explain", Args.ABSENT, Args.ABSENT);

        assertEquals(List.of(), values.layers());
        assertEquals(Map.of(), values.methodOptions());
    }

    @Test
    void aValueWithoutItsOptionIsRefusedNamingIt() {
        CamException e = assertThrows(CamException.class, () -> RepeatedOptions.collect("cam:compare",
                Args.ABSENT, Args.ABSENT, "--layer", "a", "b.png"));

        assertTrue(e.getMessage().startsWith("cam:compare: unexpected argument 'b.png'"), e.getMessage());
    }

    @Test
    void aRepeatedOptionWithoutValueIsRefused() {
        CamException e = assertThrows(CamException.class, () -> RepeatedOptions.collect("cam:explain",
                "a", Args.ABSENT, "--layer"));

        assertTrue(e.getMessage().contains("--layer needs a value"), e.getMessage());
    }

    @Test
    void anEmptyLayerInACommaListIsRefusedNamingTheOption() {
        CamException e = assertThrows(CamException.class, () -> RepeatedOptions.collect("cam:explain",
                "layer3,,layer4", Args.ABSENT));

        assertTrue(e.getMessage().contains("--layer 'layer3,,layer4' has an empty item"), e.getMessage());
    }

    @Test
    void aMalformedMethodOptionIsRefusedNamingIt() {
        CamException e = assertThrows(CamException.class, () -> RepeatedOptions.collect("cam:explain",
                Args.ABSENT, "batch-size=8", "--option", "batch-size:32"));

        assertTrue(e.getMessage().contains("--option 'batch-size:32'"), e.getMessage());
    }
}
