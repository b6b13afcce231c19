package org.camkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CamExceptionTest {

    @Test
    void aShellPrintsTheMessageWithoutTheClassName() {
        assertEquals("camkit: unknown model 'nope'", new CamException("unknown model 'nope'").toString());
    }
}
