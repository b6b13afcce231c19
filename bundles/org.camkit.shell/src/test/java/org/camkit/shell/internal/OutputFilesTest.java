package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OutputFilesTest {

    @Test
    void oneImageKeepsTheGivenName() {
        assertEquals(Path.of("out/cam.png"), OutputFiles.forImage(Path.of("out/cam.png"), 0, 1));
    }

    @Test
    void severalImagesGetTheirIndexBeforeTheExtension() {
        assertEquals(Path.of("out/cam-0.png"), OutputFiles.forImage(Path.of("out/cam.png"), 0, 3));
        assertEquals(Path.of("out/cam-2.png"), OutputFiles.forImage(Path.of("out/cam.png"), 2, 3));
        assertEquals(Path.of("map.v2-1.npy"), OutputFiles.forImage(Path.of("map.v2.npy"), 1, 2));
    }

    @Test
    void namesWithoutExtensionGetTheIndexAppended() {
        assertEquals(Path.of("dir.d/result-1"), OutputFiles.forImage(Path.of("dir.d/result"), 1, 2));
        assertEquals(Path.of(".hidden-1"), OutputFiles.forImage(Path.of(".hidden"), 1, 2));
    }
}
