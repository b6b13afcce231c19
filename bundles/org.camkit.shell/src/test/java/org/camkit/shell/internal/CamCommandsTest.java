package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamCommandsTest {
    @TempDir
    Path dir;

    private final FakeExplainer explainer = new FakeExplainer();
    private final CamCommands commands = new CamCommands(explainer);

    @Test
    void explainWithSeveralImagesWritesNumberedFilesAndSummarisesEachImage() throws IOException {
        String a = dir.resolve("a.png").toString();
        String b = dir.resolve("b.png").toString();

        String summary = commands.explain("pokemon", a + "," + b, "", "", "class:1", dir.resolve("o.png").toString(),
                "", "0.25", "", dir.resolve("cam.npy").toString(), dir.resolve("r.json").toString());

        assertEquals(List.of("class:1"), List.of(explainer.request.target()));
        assertEquals(Map.of("image-weight", "0.25"), explainer.renderOptions);
        assertEquals("overlay", explainer.visualizer);
        for (int i = 0; i < 2; i++) {
            BufferedImage png = ImageIO.read(dir.resolve("o-" + i + ".png").toFile());
            assertEquals(3, png.getWidth());
            assertEquals(0x0a141e, png.getRGB(0, 0) & 0xffffff, "first pixel (10, 20, 30)");
            assertTrue(Files.exists(dir.resolve("cam-" + i + ".npy")));
            assertTrue(Files.exists(dir.resolve("r-" + i + ".json")));
            assertTrue(summary.contains(dir.resolve("o-" + i + ".png").toString()), summary);
        }
        assertTrue(summary.contains("predicted  1 charmander (score 2.0000)"), summary);
        assertTrue(summary.contains("explained  class 1 (charmander), score 2.0000"), summary);
        assertTrue(summary.contains("peak       x=2, y=1 (of 3x2)"), summary);
        assertTrue(summary.contains("2 image(s) in"), summary);
    }

    @Test
    void camOutHoldsTheRawMapAsHeightByWidthFloats() throws IOException {
        Path npy = dir.resolve("map.npy");

        commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", npy.toString(), "");

        byte[] bytes = Files.readAllBytes(npy);
        assertArrayEquals(NpyWriter.header(2, 3), java.util.Arrays.copyOf(bytes, 128));
        float[] values = new float[6];
        ByteBuffer.wrap(bytes, 128, 24).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        assertArrayEquals(FakeExplainer.CAM, values);
    }

    @Test
    void jsonHoldsPredictionTargetScoresMethodLayersAndTimings() throws IOException {
        Path json = dir.resolve("r.json");

        commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", "", json.toString());

        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(1, root.get("prediction").getAsInt());
        assertEquals("charmander", root.get("label").getAsString());
        assertEquals(3, root.getAsJsonArray("output").size());
        assertEquals("class 1 (charmander)", root.get("target").getAsString());
        assertEquals(2.0, root.get("targetScore").getAsDouble());
        assertEquals("gradcam", root.get("method").getAsString());
        assertEquals("features.7", root.getAsJsonArray("layers").get(0).getAsString());
        assertEquals(12.5, root.getAsJsonObject("timingsMs").get("forward").getAsDouble());
        assertEquals(2, root.getAsJsonObject("peak").get("x").getAsInt());
    }

    @Test
    void explainerErrorsPropagateUnchanged() {
        explainer.failure = new CamException("unknown method 'nope'; known: gradcam");

        CamException e = assertThrows(CamException.class,
                () -> commands.explain("pokemon", "a.png", "nope", "", "", "", "", "", "", "", ""));

        assertSame(explainer.failure, e);
    }

    @Test
    void layersMarksTheModelsDefaultLayer() {
        assertEquals("  features.6\n* features.7\n  classifier\n(* default layer)\n", commands.layers("pokemon"));
    }

    @Test
    void modelsListsBackendInputSizeDefaultLayerAndLabels() {
        String table = commands.models();

        assertTrue(table.startsWith("NAME     BACKEND  INPUT  DEFAULT LAYER  LABELS\n"), table);
        assertTrue(table.contains("pokemon  pytorch  3x2    features.7     3 (bulbasaur, charmander, squirtle)"),
                table);
    }

    @Test
    void pluginListsShowDetailsOrSayNoneAreRegistered() {
        assertTrue(commands.backends().contains("pytorch  org.camkit.backend.djl  ACTIVATIONS, GRADIENTS"),
                commands.backends());
        assertEquals("no visualizer plugins registered", commands.visualizers());
    }
}
