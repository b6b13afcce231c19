package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.Images;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.MapProcessing;
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
    void originalSizeGivesThePictureAndTheMapsAtTheImagesOwnSizeAsCvResizeWould(CamkitRuntime runtime)
            throws Exception {
        Scene scene = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 12, SceneGenerator.CHARMANDER, false);
        int size = scene.image().width();
        BufferedImage wide = new BufferedImage(3 * size, 2 * size, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = wide.createGraphics();
        g.drawImage(Images.toBuffered(scene.image()), 0, 0, 3 * size, 2 * size, null);
        g.dispose();
        Path image = dir.resolve("wide.png");
        ImageIO.write(wide, "png", image.toFile());
        Explainer explainer = FelixRuntime.explainer();
        for (String method : List.of("gradcam", "guidedbackprop")) {
            ImageExplanation small = explainer.explain(ExplainRequest.builder(Scenes.CLEAN).method(method)
                    .image(ImageInput.of(image)).build()).images().get(0);
            ImageExplanation big = explainer.explain(ExplainRequest.builder(Scenes.CLEAN).method(method)
                    .image(ImageInput.of(image)).originalSize(true).build()).images().get(0);
            assertEquals(3 * size + "x" + 2 * size, big.width() + "x" + big.height(), method);
            assertArrayEquals(MapProcessing.resize(small.cam(), size, size, 3 * size, 2 * size), big.cam(), 0f,
                    method + ": the map enlarged bilinearly");
            assertArrayEquals(small.output(), big.output(), 0f, method + ": the model saw the same pixels");
            if (small.gradient() != null) {
                float[] red = java.util.Arrays.copyOf(small.gradient(), size * size);
                assertArrayEquals(MapProcessing.resize(red, size, size, 3 * size, 2 * size),
                        java.util.Arrays.copyOf(big.gradient(), 6 * size * size), 0f, method + ": the gradient image");
            }
        }
        Path png = dir.resolve("wide-overlay.png");
        Path npy = dir.resolve("wide-cam.npy");
        CommandResult result = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image " + image
                + " --original-size --out " + png + " --cam-out " + npy);
        assertNull(result.exception(), result::text);
        BufferedImage overlay = ImageIO.read(png.toFile());
        assertEquals(3 * size + "x" + 2 * size, overlay.getWidth() + "x" + overlay.getHeight());
        assertArrayEquals(new int[] {2 * size, 3 * size}, Npy.read(npy).shape(), "the map's shape in " + npy);
    }

    @Test
    void anOptionWithoutItsValueIsNamedBesideGogosOwnMessage(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image a.png --out");
        assertTrue(result.exception() != null && result.exception().getMessage().startsWith("Cannot coerce"),
                result::text);
        assertTrue(result.output().contains("camkit: cam:explain: --out needs a value; see help cam:explain"),
                result::text);
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
