package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void plainWordsPassUnquoted() {
        assertEquals(" cam:explain --model demo image-weight=0.5 ./a.png",
                Main.commandLine(List.of("cam:explain", "--model", "demo", "image-weight=0.5", "./a.png")));
    }

    @Test
    void wordsWithSpacesOrGogoSyntaxAreSingleQuoted() {
        assertEquals(" echo 'hello world' 'a$b' 'x|y'", Main.commandLine(List.of("echo", "hello world", "a$b", "x|y")));
    }

    @Test
    void wordsWithASingleQuoteAreBackslashEscaped() {
        assertEquals(" echo it\\'s\\ here", Main.commandLine(List.of("echo", "it's here")));
    }

    @Test
    void serveBindsBeyondLoopbackOnlyWithAToken() {
        assertEquals("127.0.0.1", Main.bindable("127.0.0.1", false));
        assertEquals("::1", Main.bindable("::1", false));
        for (String address : List.of("0.0.0.0", "192.0.2.1", "::")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Main.bindable(address, false));
            assertTrue(e.getMessage().startsWith("--bind " + address + " is not a loopback address"), e.getMessage());
            assertTrue(e.getMessage().contains("CAMKIT_TOKEN"), e.getMessage());
            assertEquals(address, Main.bindable(address, true));
        }
    }

    @Test
    void servePortIsZeroTo65535() {
        assertEquals("0", Main.port("0"));
        assertEquals("8080", Main.port("8080"));
        for (String port : List.of("-1", "65536", "http")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.port(port));
            assertTrue(e.getMessage().startsWith("--port " + port + " is not a port"), e.getMessage());
        }
    }
}
