package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
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

        float[] map = readNpy(npy, size, size);
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

    /** Reads a NumPy v1.0 '<f4' C-order file, checking its header's shape. */
    private static float[] readNpy(Path file, int height, int width) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        bytes.get(magic);
        assertArrayEquals("\u0093NUMPY".getBytes(StandardCharsets.ISO_8859_1), magic);
        bytes.get();
        bytes.get();
        int headerLength = Short.toUnsignedInt(bytes.getShort());
        byte[] header = new byte[headerLength];
        bytes.get(header);
        String dict = new String(header, StandardCharsets.ISO_8859_1);
        assertTrue(dict.contains("'descr': '<f4'") && dict.contains("'shape': (" + height + ", " + width + ")"), dict);
        float[] values = new float[height * width];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
