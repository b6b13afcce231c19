package org.camkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CamOutputTest {
    @Test
    void outputsAreParsedByNameAndAnUnknownOneListsTheChoices() {
        assertEquals(Set.of(CamOutput.MAP, CamOutput.NPY), CamOutput.parse(List.of("map", " NPY")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CamOutput.parse(List.of("heatmap")));
        assertTrue(e.getMessage().contains("'heatmap'") && e.getMessage().contains("overlay"), e.getMessage());
        assertEquals(List.of("error", "target", "targetClass", "targetScore", "width", "height", "map"),
                List.of(CamOutput.struct(Set.of(CamOutput.MAP)).fieldNames()));
    }
}
