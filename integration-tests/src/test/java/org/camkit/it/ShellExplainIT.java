package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FelixRuntime.class)
class ShellExplainIT {

    @TempDir
    Path dir;

    @Test
    void camExplainWritesTheOverlayPngTheNpyMapAndTheJson(CamkitRuntime runtime) throws Exception {
        Scene scene = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 11, SceneGenerator.BULBASAUR, false);
        Path image = Scenes.png(scene, dir.resolve("scene.png"));
        Path png = dir.resolve("out/overlay.png");
        Path npy = dir.resolve("out/cam.npy");
        Path json = dir.resolve("out/result.json");

        CommandResult result = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image " + image
                + " --out " + png + " --cam-out " + npy + " --json " + json);

        assertNull(result.exception(), () -> "cam:explain failed: " + result.exception());
        int size = scene.image().width();
        BufferedImage overlay = ImageIO.read(png.toFile());
        assertEquals(size, overlay.getWidth());
        assertEquals(size, overlay.getHeight());

        Tensor npyMap = Npy.read(npy);
        assertArrayEquals(new int[] {size, size}, npyMap.shape(), "the map's shape in " + npy);
        float[] map = npyMap.toArray();
        assertEquals(StoryTally.Peak.CREATURE, Scenes.peakOn(map, size, scene), "npy map peak is not on the creature");
        String text = Files.readString(json);
        assertTrue(text.contains("bulbasaur"), text);
        assertTrue(result.text().contains("bulbasaur"), result.text());
    }

    @Test
    void camLayersMarksTheDefaultLayer(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:layers " + Scenes.BIASED);

        assertNull(result.exception(), () -> "cam:layers failed: " + result.exception());
        assertTrue(result.text().contains("conv1") && result.text().contains("relu4"), result.text());
        assertTrue(result.text().contains("*"), result.text());
    }

    @Test
    void camModelsListsTheDemoModels(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:models");

        assertTrue(result.text().contains(Scenes.BIASED) && result.text().contains(Scenes.CLEAN), result.text());
    }
}
