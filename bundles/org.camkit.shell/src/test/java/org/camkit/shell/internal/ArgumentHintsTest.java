package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentHintsTest {

    @Test
    void anOptionWithoutItsValueIsNamed() {
        assertEquals(Optional.of("cam:explain: --out needs a value; see help cam:explain"),
                ArgumentHints.hint("cam:explain --model demo-clean --image a.png --out"));
        assertEquals(Optional.of("cam:explain: -m needs a value; see help cam:explain"),
                ArgumentHints.hint("cam:explain -m --image a.png"));
        assertEquals(Optional.of("cam:compare: --out needs a value; see help cam:compare"),
                ArgumentHints.hint("cam:compare --model m --image a.png --out"));
    }

    @Test
    void anOptionTheCommandDoesNotHaveIsNamedWithItsOptions() {
        String hint = ArgumentHints.hint("cam:explain --model m --image a.png --output x.png").orElseThrow();
        assertTrue(hint.startsWith("cam:explain has no option --output; its options: --model, --image, --method"),
                hint);
        assertTrue(hint.contains("--original-size") && hint.endsWith("; see help cam:explain"), hint);
    }

    @Test
    void otherCommandsGetTheHelpToReadAndForeignCommandsNothing() {
        assertEquals(Optional.of("cam:bench: its arguments fit none of its options; see help cam:bench"),
                ArgumentHints.hint("cam:bench --iterations"));
        assertEquals(Optional.of("explain: its arguments fit none of its options; see help cam:explain"),
                ArgumentHints.hint("explain --image-weight -0.5 x"));
        assertEquals(Optional.empty(), ArgumentHints.hint("lb -s extra"));
    }
}
