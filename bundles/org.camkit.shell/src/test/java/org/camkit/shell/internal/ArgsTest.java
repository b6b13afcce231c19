package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgsTest {

    @Test
    void anAbsentOrBlankValueIsNotGivenAndAGivenOneIsTrimmed() {
        assertEquals(Optional.empty(), Args.given(Args.ABSENT));
        assertEquals(Optional.empty(), Args.given("  "));
        assertEquals(Optional.of("gradcam"), Args.given(" gradcam "));
    }

    @Test
    void aRequiredOptionThatIsNotGivenFailsWithTheMessageNamingIt() {
        CamException e = assertThrows(CamException.class, () -> Args.required(" ", "cam:x needs --model <name>"));

        assertEquals("cam:x needs --model <name>", e.getMessage());
    }

    @Test
    void aFileWhoseNameHasACommaIsOneImage(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("cat, dog.png"), new byte[] {1});
        assertEquals(List.of(file), Args.paths("image", file.toString()));
        assertEquals(List.of(dir.resolve("cat"), dir.resolve("dog.png")),
                Args.paths("image", dir.resolve("cat") + "," + dir.resolve("dog.png")), "no such file: a list");
    }

    @Test
    void imagePathsExpandEachGlobInPlaceAndAnEmptyGlobNamesTheOption(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("set/sub"));
        for (String name : List.of("set/b.png", "set/a.png", "set/c.jpg", "set/sub/d.png")) {
            Files.write(dir.resolve(name), new byte[] {1});
        }
        assertEquals(List.of(dir.resolve("first.png"), dir.resolve("set/a.png"), dir.resolve("set/b.png"),
                dir.resolve("set")), Args.imagePaths("images", dir.resolve("first.png") + "," + dir.resolve("set/*.png")
                        + "," + dir.resolve("set")));
        assertEquals(List.of(dir.resolve("set/a.png"), dir.resolve("set/b.png"), dir.resolve("set/sub/d.png")),
                Args.imagePaths("images", dir.resolve("set/**.png").toString()), "** crosses folders");
        assertEquals(List.of(dir.resolve("set/a.png"), dir.resolve("set/b.png"), dir.resolve("set/c.jpg"),
                dir.resolve("first.png")), Args.imagePaths("images", dir.resolve("set/*.{png,jpg}") + ","
                        + dir.resolve("first.png")), "a comma between braces belongs to the glob");
        CamException e = assertThrows(CamException.class,
                () -> Args.imagePaths("images", dir.resolve("set/*.tif").toString()));
        assertTrue(e.getMessage().startsWith("--images '") && e.getMessage().contains("matches no files"),
                e.getMessage());
        CamException malformed = assertThrows(CamException.class,
                () -> Args.imagePaths("images", dir.resolve("set/*.{png").toString()));
        assertTrue(malformed.getMessage().contains("is not a glob"), malformed.getMessage());
    }

    @Test
    void commaSeparatedPathsAreSplitAndTrimmed() {
        assertEquals(List.of(Path.of("a.png"), Path.of("dir/b.jpg"), Path.of("c.png")),
                Args.paths("image", "a.png, dir/b.jpg ,c.png"));
    }

    @Test
    void anEmptyItemInACommaListIsAnErrorNamingTheOption() {
        CamException e = assertThrows(CamException.class, () -> Args.commaList("image", "a.png,,b.png"));

        assertTrue(e.getMessage().startsWith("--image 'a.png,,b.png' has an empty item"), e.getMessage());
    }

    @Test
    void anOptionalPathIsEmptyWhenNotGiven() {
        assertEquals(Optional.empty(), Args.optionalPath("json", Args.ABSENT));
        assertEquals(Optional.of(Path.of("r.json")), Args.optionalPath("json", "r.json"));
    }

    @Test
    void anInvalidPathIsAnErrorNamingTheOption() {
        CamException e = assertThrows(CamException.class, () -> Args.path("cam-out", "a\0b.npy"));

        assertTrue(e.getMessage().startsWith("--cam-out 'a\0b.npy' is not a valid file path"), e.getMessage());
    }
}
