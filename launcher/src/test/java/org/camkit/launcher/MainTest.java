package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
