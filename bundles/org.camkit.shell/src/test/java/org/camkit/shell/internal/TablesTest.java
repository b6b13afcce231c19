package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    @Test
    void columnsAreAlignedToTheirWidestCell() {
        String table = Tables.format(List.of("NAME", "BUNDLE", "NEEDS"), List.of(
                List.of("gradcam", "org.camkit.method.gradcam", "activations, gradients"),
                List.of("x", "b", "-")));

        assertEquals("""
                NAME     BUNDLE                     NEEDS
                gradcam  org.camkit.method.gradcam  activations, gradients
                x        b                          -
                """, table);
    }

    @Test
    void labelSummaryShowsCountAndFirstThree() {
        assertEquals("-", CamCommands.labels(List.of()));
        assertEquals("2 (cat, dog)", CamCommands.labels(List.of("cat", "dog")));
        assertEquals("4 (a, b, c, ...)", CamCommands.labels(List.of("a", "b", "c", "d")));
    }
}
