package org.camkit.example.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// The packaged example (java -jar, its lib/ beside it) in a JVM of its own, as a user runs it.
class ExplainFolderIT {
    private static final int SIZE = 112;

    @TempDir
    Path dir;

    @Test
    void theExampleJarExplainsEveryImageOfAFolderAndReportsTheOneItCannotRead() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        SceneGenerator generator = new SceneGenerator(SIZE);
        List<Scene> scenes = List.of(generator.scene(100, SceneGenerator.CHARMANDER, false),
                generator.scene(101, SceneGenerator.BULBASAUR, false),
                generator.scene(102, SceneGenerator.CHARMANDER, false));
        for (int i = 0; i < scenes.size(); i++) {
            Files.write(images.resolve("scene-" + i + ".png"), scenes.get(i).image().png());
        }
        Files.writeString(images.resolve("zz-broken.png"), "not a PNG");
        Path out = dir.resolve("out");

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-jar", System.getProperty("camkit.example.jar"),
                System.getProperty("camkit.home"), System.getProperty("camkit.models"), "demo-clean",
                images.toString(), out.toString())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        boolean exited = process.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String stdout = Files.readString(dir.resolve("stdout.txt"));
        String report = "\nstdout:\n" + stdout + "\nstderr:\n" + Files.readString(dir.resolve("stderr.txt"));
        assertTrue(exited, "the example did not finish in 180 s" + report);
        assertEquals(0, process.exitValue(), "the example failed" + report);

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(String.join("\n", csv), stdout.strip(), "printed and written results differ");
        assertEquals(ExplainFolder.HEADER, csv.get(0));
        assertEquals(scenes.size() + 2, csv.size(), String.join("\n", csv));
        for (int i = 0; i < scenes.size(); i++) {
            String[] row = csv.get(i + 1).split(",", -1);
            assertEquals("scene-" + i + ".png", row[0]);
            assertEquals(SceneGenerator.LABELS.get(scenes.get(i).label()), row[1], csv.get(i + 1));
            assertEquals("", row[5], csv.get(i + 1));
            BufferedImage overlay = ImageIO.read(out.resolve("scene-" + i + ".png.overlay.png").toFile());
            assertEquals(SIZE + "x" + SIZE, overlay.getWidth() + "x" + overlay.getHeight());
        }
        String[] broken = csv.get(scenes.size() + 1).split(",", -1);
        assertEquals("zz-broken.png", broken[0]);
        assertTrue(broken[5].contains("zz-broken.png"), "the error does not name the image: " + broken[5]);
        assertTrue(Files.notExists(out.resolve("zz-broken.png.overlay.png")));
    }
}
