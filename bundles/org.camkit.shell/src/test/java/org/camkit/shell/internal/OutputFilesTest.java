package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aFolderIsRefusedAndKept(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("empty.png"));
        CamException e = assertThrows(CamException.class,
                () -> OutputFiles.check("out", folder, 1, ".png", "a PNG picture", List.of()));
        assertTrue(e.getMessage().startsWith("--out '" + folder + "' is a folder; give a file in it, e.g. "
                + folder.resolve("result.png")), e.getMessage());
        assertTrue(Files.isDirectory(folder));
        Files.createDirectory(dir.resolve("cam-1.png"));
        assertThrows(CamException.class, () -> OutputFiles.check("out", dir.resolve("cam.png"), 2, ".png", "a PNG",
                List.of()), "a numbered file of several images is checked too");
    }

    @Test
    void anInputIsNeverWrittenOverEvenThroughAnotherPath(@TempDir Path dir) throws IOException {
        Path image = Files.write(dir.resolve("photo.npy"), new byte[] {1, 2, 3});
        Path other = dir.resolve("sub/../photo.npy");
        Files.createDirectory(dir.resolve("sub"));
        CamException e = assertThrows(CamException.class,
                () -> OutputFiles.check("cam-out", other, 1, ".npy", "a NumPy .npy array", List.of(image)));
        assertTrue(e.getMessage().contains("is the input image " + image), e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link.npy"), image);
        assertThrows(CamException.class,
                () -> OutputFiles.check("cam-out", link, 1, ".npy", "a NumPy .npy array", List.of(image)));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(image));
    }

    @Test
    void theExtensionMustNameWhatIsWritten() {
        CamException jpg = assertThrows(CamException.class,
                () -> OutputFiles.check("out", Path.of("o.jpg"), 1, ".png", "a PNG picture", List.of()));
        assertEquals("--out 'o.jpg' writes a PNG picture; give a file name ending in .png, e.g. o.png",
                jpg.getMessage());
        assertThrows(CamException.class,
                () -> OutputFiles.check("json", Path.of("result"), 1, ".json", "JSON", List.of()));
        assertThrows(CamException.class,
                () -> OutputFiles.check("json", Path.of(".json"), 1, ".json", "JSON", List.of()));
    }

    @Test
    void anExistingOutputFileIsWrittenOver(@TempDir Path dir) throws IOException {
        Path old = Files.write(dir.resolve("OLD.PNG"), new byte[] {9});
        assertDoesNotThrow(() -> OutputFiles.check("out", old, 1, ".png", "a PNG picture", List.of(dir.resolve(
                "a.png"))));
    }
}
