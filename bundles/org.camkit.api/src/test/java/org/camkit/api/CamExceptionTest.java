package org.camkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CamExceptionTest {

    @Test
    void aShellPrintsTheMessageWithoutTheClassName() {
        assertEquals("camkit: unknown model 'nope'", new CamException("unknown model 'nope'").toString());
    }

    @Test
    void aPlainExceptionIsBadInputWithoutCulpritOrChoices() {
        CamException e = new CamException("bad option", new IllegalStateException());
        assertEquals(CamException.Kind.INVALID, e.kind());
        assertNull(e.culprit());
        assertTrue(e.choices().isEmpty());
    }

    @Test
    void anUnknownNameCarriesItsCulpritAndChoices() {
        CamException e = new CamException(CamException.Kind.UNKNOWN, "unknown method 'x'", "x",
                List.of("gradcam", "scorecam"));
        assertEquals(CamException.Kind.UNKNOWN, e.kind());
        assertEquals("x", e.culprit());
        assertEquals(List.of("gradcam", "scorecam"), e.choices());
        assertEquals("camkit: unknown method 'x'", e.toString());
    }
}
