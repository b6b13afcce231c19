package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FelixRuntime.class)
class ShellBatchIT {

    @TempDir
    Path dir;

    @Test
    void aFolderIsExplainedInBatchesResumedWithoutRedoingAndRedoneWithForce(CamkitRuntime runtime)
            throws Exception {
        Explainer explainer = FelixRuntime.explainer();
        Path images = Files.createDirectories(dir.resolve("images"));
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            good.add(Scenes.png(Scenes.scene(explainer, Scenes.CLEAN, 40 + i,
                    i % 2 == 0 ? SceneGenerator.BULBASAUR : SceneGenerator.CHARMANDER, false),
                    images.resolve("scene" + i + ".png")));
        }
        Path broken = Files.write(images.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path out = dir.resolve("cams");
        Path index = out.resolve("index.jsonl");
        String command = "cam:explain --model " + Scenes.CLEAN + " --images " + images + " --out-dir " + out
                + " --outputs overlay,map --batch-size 4";

        CommandResult first = runtime.execute(command);

        assertNull(first.exception(), () -> "cam:explain --images failed: " + first.exception());
        assertTrue(first.text().contains("6 explained, 0 skipped"), first.text());
        assertTrue(first.text().contains("1 failed of 7 images"), first.text());
        List<JsonObject> lines = lines(index);
        assertEquals(7, lines.size(), "one line per image");
        List<JsonObject> errors = lines.stream().filter(l -> l.has("error")).toList();
        assertEquals(1, errors.size(), lines.toString());
        assertEquals(broken.toAbsolutePath().toString(), errors.get(0).get("image").getAsString());
        for (Path image : good) {
            String name = image.getFileName().toString().replace(".png", "");
            float[] expected = explainer.explain(ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(image))
                    .build()).images().get(0).cam();
            assertArrayEquals(expected, Npy.read(out.resolve(name + ".npy")).toArray(), 1e-6f, name);
            assertTrue(Files.size(out.resolve(name + ".png")) > 0, name);
            JsonObject line = lines.stream().filter(l -> l.get("image").getAsString()
                    .equals(image.toAbsolutePath().toString())).findFirst().orElseThrow();
            assertEquals(2, line.getAsJsonArray("files").size(), line.toString());
            assertTrue(line.has("prediction") && line.has("peak") && line.has("timingsMs"), line.toString());
        }
        FileTime written = Files.getLastModifiedTime(out.resolve("scene0.npy"));

        CommandResult again = runtime.execute(command);

        assertNull(again.exception(), () -> "re-run failed: " + again.exception());
        assertTrue(again.text().contains("0 explained, 6 skipped"), again.text());
        List<JsonObject> resumed = lines(index);
        assertEquals(8, resumed.size(), "only the bad image is tried again: " + resumed);
        assertTrue(resumed.get(7).has("error"), resumed.get(7).toString());
        assertEquals(written, Files.getLastModifiedTime(out.resolve("scene0.npy")), "a done image is not redone");

        Files.setLastModifiedTime(out.resolve("scene0.npy"), FileTime.fromMillis(0));
        CommandResult forced = runtime.execute(command + " --force");

        assertNull(forced.exception(), () -> "--force failed: " + forced.exception());
        assertTrue(forced.text().contains("6 explained, 0 skipped"), forced.text());
        List<JsonObject> redone = lines(index);
        assertEquals(7, redone.size(), "--force starts a new index");
        assertEquals(1, redone.stream().filter(l -> l.has("error")).count());
        assertTrue(Files.getLastModifiedTime(out.resolve("scene0.npy")).toMillis() > 0, "--force redoes a done image");

        // a glob over the tree that holds --out-dir finds the overlays written there: they are outputs, not inputs
        String globbed = "cam:explain --model " + Scenes.CLEAN + " --images '" + dir + "/**.png' --out-dir " + out
                + " --outputs overlay,map --batch-size 4";
        CommandResult overTree = runtime.execute(globbed);

        assertNull(overTree.exception(), () -> "a glob over the out-dir's tree failed: " + overTree.exception());
        assertTrue(overTree.text().contains("0 explained, 6 skipped"), overTree.text());
        assertTrue(overTree.text().contains("1 failed of 7 images"), overTree.text());
    }

    @Test
    void aMistypedOptionStopsTheRunWithItsErrorInsteadOfFailingEveryImage(CamkitRuntime runtime) throws Exception {
        Explainer explainer = FelixRuntime.explainer();
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 3; i++) {
            Scenes.png(Scenes.scene(explainer, Scenes.CLEAN, 60 + i, SceneGenerator.BULBASAUR, false),
                    images.resolve("scene" + i + ".png"));
        }
        Path out = dir.resolve("cams");

        CommandResult typo = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --method scorecam --option"
                + " batchsize=4 --images " + images + " --out-dir " + out + " --batch-size 2");

        assertTrue(typo.exception() != null && typo.exception().getMessage().contains("has no option [batchsize]"),
                () -> "the run stops with camkit's error, got " + typo.text() + " / " + typo.exception());
        Path index = out.resolve("index.jsonl");
        assertTrue(!Files.exists(index) || lines(index).isEmpty(), "no image is recorded as failed");

        CommandResult malformed = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --method scorecam"
                + " --option batch-size=four --images " + images + " --out-dir " + out + " --batch-size 2");

        assertTrue(malformed.exception() != null && malformed.exception().getMessage()
                .contains("option 'batch-size' must be"), () -> "a malformed value stops it too, got "
                        + malformed.text() + " / " + malformed.exception());
        assertTrue(!Files.exists(index) || lines(index).isEmpty(), "no image is recorded as failed");
    }

    private static List<JsonObject> lines(Path index) throws Exception {
        return Files.readAllLines(index).stream().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }
}
