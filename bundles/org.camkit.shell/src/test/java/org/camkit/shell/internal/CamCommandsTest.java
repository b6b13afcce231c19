package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.Concept;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.spi.NpyFiles;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamCommandsTest {
    @TempDir
    Path dir;

    private final FakeExplainer explainer = new FakeExplainer();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CamCommands commands = new CamCommands(explainer,
            () -> new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void explainWithSeveralImagesWritesNumberedFilesAndSummarisesEachImage() throws IOException {
        String a = dir.resolve("a.png").toString();
        String b = dir.resolve("b.png").toString();

        String summary = commands.explain("pokemon", a + "," + b, "", "", "class:1", dir.resolve("o.png").toString(),
                "", "0.25", "", dir.resolve("cam.npy").toString(), dir.resolve("r.json").toString(), "", false,
                false, false, "", "", "", "", false, "");

        assertEquals(List.of("class:1"), List.of(explainer.request.target()));
        assertEquals(Map.of("image-weight", "0.25"), explainer.renderOptions);
        assertEquals(null, explainer.visualizer, "no --visualizer: the core picks the natural picture");
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

        commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", npy.toString(), "", "", false, false, false, "", "", "", "", false, "");

        Tensor map = NpyFiles.read(npy);
        assertArrayEquals(new int[] {2, 3}, map.shape());
        assertArrayEquals(FakeExplainer.CAM, map.toArray());
    }

    @Test
    void jsonHoldsPredictionTargetScoresMethodLayersAndTimings() throws IOException {
        Path json = dir.resolve("r.json");

        commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", "", json.toString(), "", false, false, false, "", "", "", "", false, "");

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
        assertFalse(root.get("flat").getAsBoolean());
        assertFalse(root.has("flatCauses"));
    }

    @Test
    void aFlatMapIsNewsInTheSummaryAndTheJson() throws IOException {
        explainer.cam = new float[6];
        Path json = dir.resolve("flat.json");

        String summary = commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", "", json.toString(), "",
                false, false, false, "", "", "", "", false, "");

        assertTrue(summary.contains("peak       none: the map is flat (all zero), it shows nothing. Likely causes: "
                + "a normalisation"), summary);
        assertFalse(summary.contains("x=0, y=0"), summary);
        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertTrue(root.get("flat").getAsBoolean());
        assertTrue(root.has("peak") && root.get("peak").isJsonNull(), "a flat map's peak is null: " + root);
        assertTrue(root.get("flatCauses").getAsString().contains("class token"), root.toString());
    }

    @Test
    void explainerErrorsPropagateUnchanged() {
        explainer.failure = new CamException("unknown method 'nope'; known: gradcam");

        CamException e = assertThrows(CamException.class,
                () -> commands.explain("pokemon", "a.png", "nope", "", "", "", "", "", "", "", "", "", false, false,
                        false, "", "", "", "", false, ""));

        assertSame(explainer.failure, e);
    }

    @Test
    void layersMarksTheModelsDefaultLayerAndSaysWhatTheModelProvides() {
        assertEquals("  features.6\n* features.7\n  classifier\n(* default layer)\nprovides: ACTIVATIONS, GRADIENTS\n",
                commands.layers("pokemon"));
    }

    @Test
    void modelsListsBackendInputSizeDefaultLayerDetectorAndLabels() {
        String table = commands.models();

        assertTrue(table.startsWith("NAME     BACKEND  INPUT  DEFAULT LAYER  DETECTOR  LABELS\n"), table);
        assertTrue(table.contains("pokemon  pytorch  3x2    features.7     -         3 (bulbasaur, charmander, "
                + "squirtle)"),
                table);
    }

    @Test
    void pluginListsShowDetailsADashWithoutThemOrSayNoneAreRegistered() {
        String methods = commands.methods();
        assertTrue(methods.contains("scorecam  org.camkit.method.perturbation  ACTIVATIONS, option batch-size"),
                methods);
        assertTrue(commands.backends().contains("pytorch  org.camkit.backend.djl  -"), commands.backends());
        assertEquals("no visualizer plugins registered", commands.visualizers());
    }

    @Test
    void explainPassesMethodOptionsSmoothingAndEveryLayerToTheRequest() {
        commands.explain("pokemon", "a.png", "scorecam", "layer3", "", "", "", "", "", "", "", "batch-size=16", true,
                true, true, "", "", "", "", false, "", "--layer", "layer4,layer5", "--option", "patch=8");

        ExplainRequest request = explainer.request;
        assertEquals("scorecam", request.method());
        assertTrue(request.originalSize());
        assertEquals(List.of("layer3", "layer4", "layer5"), request.layers());
        assertEquals(Map.of("batch-size", "16", "patch", "8"), request.options());
        assertTrue(request.augSmooth());
        assertTrue(request.eigenSmooth());
    }

    @Test
    void explainWithOnlyModelAndImageUsesTheDefaultsAndWritesNothing() {
        String summary = commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", "", "", "", false,
                false, false, "", "", "", "", false, "");

        ExplainRequest request = explainer.request;
        assertEquals("gradcam", request.method());
        assertEquals(List.of(), request.layers());
        assertEquals("", request.target(), "the core explains the predicted class");
        assertEquals(Map.of(), request.options());
        assertFalse(request.augSmooth());
        assertFalse(request.eigenSmooth());
        assertEquals("not called", explainer.visualizer, "nothing rendered without --out");
        assertFalse(summary.contains("wrote"), summary);
    }

    @Test
    void explainSplitsTheImageListAndTrimsEachImage() {
        commands.explain("pokemon", "a.png, dir/b.jpg ,c.png", "", "", "", "", "", "", "", "", "", "", false, false,
                false, "", "", "", "", false, "");

        assertEquals(List.of(ImageInput.of(Path.of("a.png")), ImageInput.of(Path.of("dir/b.jpg")),
                ImageInput.of(Path.of("c.png"))), explainer.request.images());
    }

    @Test
    void explainWithoutModelOrImageFailsNamingTheMissingOptionBeforeAnythingRuns() {
        CamException noModel = assertThrows(CamException.class,
                () -> commands.explain("", "a.png", "", "", "", "", "", "", "", "", "", "", false, false, false, "", "", "", "", false, ""));
        CamException noImage = assertThrows(CamException.class,
                () -> commands.explain("pokemon", " ", "", "", "", "", "", "", "", "", "", "", false, false, false, "", "", "", "", false, ""));

        assertTrue(noModel.getMessage().startsWith("cam:explain needs --model"), noModel.getMessage());
        assertTrue(noImage.getMessage().startsWith("cam:explain needs --image"), noImage.getMessage());
        assertNull(explainer.request, "nothing was explained");
    }

    @Test
    void aBadImageWeightIsRefusedBeforeAnythingRuns() {
        CamException e = assertThrows(CamException.class, () -> commands.explain("pokemon", "a.png", "", "", "",
                dir.resolve("o.png").toString(), "", "1.5", "", "", "", "", false, false, false, "", "", "", "", false, ""));

        assertTrue(e.getMessage().startsWith("--image-weight is '1.5'"), e.getMessage());
        assertNull(explainer.request, "nothing was explained");
    }

    @Test
    void aNamedVisualizerIsPassedOn() {
        commands.explain("pokemon", "a.png", "", "", "", dir.resolve("g.png").toString(), "gradient", "", "", "",
                "", "", false, false, false, "", "", "", "", false, "");

        assertEquals("gradient", explainer.visualizer);
    }

    @Test
    void jsonAndSummaryTellWhetherThereIsAGradientImageAndListTheConceptLegends() throws IOException {
        explainer.gradient = new float[18];
        explainer.concepts = List.of(new Concept("duck 0.91, charmander 0.05", new float[6]),
                new Concept("grass 0.80", new float[6]));
        Path json = dir.resolve("r.json");

        String summary = commands.explain("pokemon", "a.png", "dff", "", "", "", "", "", "", "", json.toString(), "",
                false, false, false, "", "", "", "", false, "");

        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertTrue(root.get("gradientImage").getAsBoolean());
        assertEquals("duck 0.91, charmander 0.05", root.getAsJsonArray("concepts").get(0).getAsString());
        assertEquals("grass 0.80", root.getAsJsonArray("concepts").get(1).getAsString());
        assertTrue(summary.contains("concept 1  duck 0.91, charmander 0.05"), summary);
        assertTrue(summary.contains("gradient   a gradient image"), summary);
    }

    @Test
    void jsonOfAPlainResultHasNoGradientImageAndNoConcepts() throws IOException {
        Path json = dir.resolve("r.json");

        commands.explain("pokemon", "a.png", "", "", "", "", "", "", "", "", json.toString(), "", false, false, false, "", "", "", "", false, "");

        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertFalse(root.get("gradientImage").getAsBoolean());
        assertEquals(0, root.getAsJsonArray("concepts").size());
    }

    @Test
    void progressIsDrawnAsABarOnTheErrorStreamAndItsLineEnded() {
        explainer.progress = List.of(new int[] {1, 4}, new int[] {4, 4});

        commands.explain("pokemon", "a.png", "scorecam", "", "", "", "", "", "", "", "", "", false, false, false, "", "", "", "", false, "");

        String bar = err.toString(StandardCharsets.UTF_8);
        assertTrue(bar.startsWith("\rscorecam features.7 [#####...............] 1/4"), bar);
        assertTrue(bar.contains("\rscorecam features.7 [####################] 4/4"), bar);
        assertTrue(bar.endsWith("\n"), bar);
    }

    @Test
    void cancelledExplainIsReportedInOneLineAndTheInterruptIsConsumed() {
        explainer.cancel = true;
        explainer.progress = List.of(new int[] {1, 4});

        String result = commands.explain("pokemon", "a.png", "scorecam", "", "", "", "", "", "", "", "", "", false,
                false, false, "", "", "", "", false, "");

        assertEquals("cam:explain cancelled: scorecam features.7 was interrupted\n", result);
        assertFalse(Thread.interrupted(), "the interrupt is consumed by the report");
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("\n"), "the unfinished bar line is ended");
    }

    @Test
    void compareWritesTheGridAndPrintsATableRowPerMethod() throws IOException {
        Path grid = dir.resolve("grid.png");

        String result = commands.compare("pokemon", "a.png", "gradcam, fullgrad", grid.toString(), "class:1",
                "layer3", "batch-size=8", true, false, "", "2", "--layer", "layer4");

        assertEquals(List.of("gradcam", "fullgrad"), explainer.methods);
        assertEquals(2, explainer.columns);
        assertEquals("class:1", explainer.request.target());
        assertEquals(List.of("layer3", "layer4"), explainer.request.layers());
        assertEquals(Map.of("batch-size", "8"), explainer.request.options());
        assertTrue(explainer.request.augSmooth());
        BufferedImage png = ImageIO.read(grid.toFile());
        assertEquals(4, png.getWidth());
        assertEquals(3, png.getHeight());
        assertTrue(result.contains("gradcam   class 1 (charmander)  120 ms  (2,1)"), result);
        assertTrue(result.contains("fullgrad  -                     2 ms    error: method 'fullgrad' needs bias"),
                result);
        assertTrue(result.contains("1 of 2 methods ran on a.png"), result);
        assertTrue(result.contains(grid.toString() + " (4x3)"), result);
    }

    @Test
    void compareWithoutMethodsAsksForEveryMethod() {
        commands.compare("pokemon", "a.png", "", dir.resolve("g.png").toString(), "", "", "", false, false, "", "");

        assertEquals(List.of(), explainer.methods);
        assertEquals(0, explainer.columns, "no --columns: the core picks");
    }

    @Test
    void columnsMustBeAPositiveWholeNumber() {
        for (String bad : List.of("0", "-2", "two", "1.5")) {
            CamException e = assertThrows(CamException.class, () -> commands.compare("pokemon", "a.png", "",
                    dir.resolve("g.png").toString(), "", "", "", false, false, "", bad));
            assertTrue(e.getMessage().contains("--columns is '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void compareNeedsOneImageAndAnOutputFile() {
        CamException two = assertThrows(CamException.class, () -> commands.compare("pokemon", "a.png,b.png", "",
                dir.resolve("g.png").toString(), "", "", "", false, false, "", ""));
        CamException noOut = assertThrows(CamException.class,
                () -> commands.compare("pokemon", "a.png", "", "", "", "", "", false, false, "", ""));

        assertTrue(two.getMessage().contains("one image"), two.getMessage());
        assertTrue(noOut.getMessage().contains("--out"), noOut.getMessage());
    }

    @Test
    void cancelledCompareIsReportedInOneLine() {
        explainer.cancel = true;

        String result = commands.compare("pokemon", "a.png", "scorecam", dir.resolve("g.png").toString(), "", "",
                "", false, false, "", "");

        assertEquals("cam:compare cancelled: scorecam features.7 was interrupted\n", result);
        assertFalse(Thread.interrupted());
        assertFalse(Files.exists(dir.resolve("g.png")));
    }

    @Test
    void strayArgumentsAreRefusedNamingThem() {
        CamException e = assertThrows(CamException.class, () -> commands.explain("pokemon", "a.png", "", "", "",
                "", "", "", "", "", "", "", false, false, false, "", "", "", "", false, "", "extra.png"));

        assertTrue(e.getMessage().contains("'extra.png'"), e.getMessage());
    }

    @Test
    void outputsThatWouldDestroyAFileAreRefusedBeforeAnythingRuns() throws IOException {
        Path image = Files.write(dir.resolve("a.png"), new byte[] {7});
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        CamException onFolder = assertThrows(CamException.class, () -> commands.explain("pokemon", image.toString(),
                "", "", "", folder.toString(), "", "", "", "", "", "", false, false, false, "", "", "", "", false, ""));
        assertTrue(onFolder.getMessage().contains("is a folder"), onFolder.getMessage());
        CamException onInput = assertThrows(CamException.class, () -> commands.explain("pokemon", image.toString(),
                "", "", "", dir.resolve(".").resolve("a.png").toString(), "", "", "", "", "", "", false, false, false, "", "", "", "", false, ""));
        assertTrue(onInput.getMessage().contains("is the input image"), onInput.getMessage());
        CamException mapOnImage = assertThrows(CamException.class, () -> commands.explain("pokemon",
                image.toString(), "", "", "", "", "", "", "", image.toString(), "", "", false, false, false, "", "", "", "", false, ""));
        assertTrue(mapOnImage.getMessage().startsWith("--cam-out"), mapOnImage.getMessage());
        CamException gridOnFolder = assertThrows(CamException.class, () -> commands.compare("pokemon",
                image.toString(), "", folder.toString(), "", "", "", false, false, "", ""));
        assertTrue(gridOnFolder.getMessage().contains("is a folder"), gridOnFolder.getMessage());
        assertNull(explainer.request, "nothing ran");
        assertTrue(Files.isDirectory(folder));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(image));
    }
}
