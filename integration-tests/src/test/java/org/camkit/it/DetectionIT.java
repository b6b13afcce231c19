package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.Detection;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.camkit.demo.internal.DetectorRun;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detectors end to end on the demo detector ({@code models/demo-detector.pt}, trained and exported by
 * {@code tools/camkit-export/detector.py}): its detections, Grad-CAM and EigenCAM through the detection target
 * against pytorch-grad-cam on the eager model ({@code fixtures/torchscript/reference/detector}, written by
 * {@code detection_references.py}), every gradient method and the perturbation methods through the target, the
 * shell's {@code cam:detect}, per-object {@code cam:explain} and {@code cam:compare}, bad detector input, and the
 * demo's detector section.
 */
@ExtendWith(FelixRuntime.class)
class DetectionIT {

    static final String DETECTOR = "demo-detector";
    static final Path REFERENCE = TorchScriptIT.FIXTURES.resolve("reference/detector");
    /** The largest difference of a normalised map (in [0, 1]) from pytorch-grad-cam's. */
    static final double MAP_TOLERANCE = 1e-4;

    private final Explainer explainer = FelixRuntime.explainer();

    @TempDir
    Path dir;

    private static JsonObject meta() throws IOException {
        return JsonParser.parseString(Files.readString(REFERENCE.resolve("meta.json"))).getAsJsonObject();
    }

    private static List<JsonObject> scenes() throws IOException {
        List<JsonObject> out = new ArrayList<>();
        meta().getAsJsonArray("scenes").forEach(s -> out.add(s.getAsJsonObject()));
        return out;
    }

    private ImageExplanation explain(Path image, String method, String target) {
        return explainer.explain(ExplainRequest.builder(DETECTOR).method(method).target(target)
                .image(ImageInput.of(image)).build()).images().get(0);
    }

    private static double worst(Tensor reference, float[] map) {
        assertEquals(reference.size(), map.length);
        double worst = 0;
        for (int p = 0; p < map.length; p++) {
            worst = Math.max(worst, Math.abs(map[p] - reference.get(p)));
        }
        return worst;
    }

    /** @return the spec of the scene's case of that name (duck, creature, top) */
    private static String spec(JsonObject scene, String name) {
        for (JsonElement c : scene.getAsJsonArray("cases")) {
            if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
                return c.getAsJsonObject().get("spec").getAsString();
            }
        }
        throw new AssertionError("no case " + name + " in " + scene);
    }

    private static float[] box(JsonElement box) {
        JsonArray a = box.getAsJsonArray();
        return new float[] {a.get(0).getAsFloat(), a.get(1).getAsFloat(), a.get(2).getAsFloat(),
            a.get(3).getAsFloat()};
    }

    @Test
    void detectFindsWhatTheEagerModelFinds() throws IOException {
        for (JsonObject scene : scenes()) {
            Path image = REFERENCE.resolve(scene.get("image").getAsString());
            List<Detection> detected = explainer.detect(ExplainRequest.builder(DETECTOR)
                    .image(ImageInput.of(image)).build()).get(0);
            JsonArray expected = scene.getAsJsonArray("detections");
            assertEquals(expected.size(), detected.size(), image + ": " + detected);
            for (int i = 0; i < detected.size(); i++) {
                JsonObject e = expected.get(i).getAsJsonObject();
                Detection d = detected.get(i);
                assertEquals(e.get("label").getAsString(), d.label(), image.toString());
                assertEquals(e.get("score").getAsFloat(), d.score(), 1e-4f, image + " score");
                float[] b = box(e.get("box"));
                float[] got = {d.x0(), d.y0(), d.x1(), d.y1()};
                for (int k = 0; k < 4; k++) {
                    assertEquals(b[k], got[k], 1e-3f, image + " box " + d);
                }
                assertFalse(d.explained(), "a plain detection list explains nothing");
            }
        }
    }

    @Test
    void gradCamThroughTheDetectionTargetEqualsPytorchGradCamOnTheEagerModel() throws IOException {
        int compared = 0;
        for (JsonObject scene : scenes()) {
            Path image = REFERENCE.resolve(scene.get("image").getAsString());
            for (JsonElement c : scene.getAsJsonArray("cases")) {
                JsonObject expected = c.getAsJsonObject();
                String spec = expected.get("spec").getAsString();
                ImageExplanation e = explain(image, "gradcam", spec);
                assertEquals(expected.get("score").getAsFloat(), e.targetScore(), 1e-4f, image + " " + spec);
                double worst = worst(Npy.read(REFERENCE.resolve(expected.get("gradcam").getAsString())), e.cam());
                assertTrue(worst <= MAP_TOLERANCE, image + " " + spec + ": map differs by " + worst);
                assertTrue(e.detections().stream().anyMatch(Detection::explained), image + " " + spec
                        + ": the matched detection is marked explained");
                compared++;
            }
        }
        assertEquals(12, compared, "4 scenes x 3 targets");
    }

    @Test
    void eigenCamOnTheDetectorEqualsPytorchGradCams() throws IOException {
        JsonObject eigen = meta().getAsJsonObject("eigencam");
        ImageExplanation e = explain(REFERENCE.resolve(eigen.get("image").getAsString()), "eigencam", "");
        double worst = worst(Npy.read(REFERENCE.resolve(eigen.get("map").getAsString())), e.cam());
        assertTrue(worst <= MAP_TOLERANCE, "EigenCAM differs by " + worst);
    }

    @Test
    void theTensorFlowTwinDetectsAndExplainsAsTheTorchScriptDetector() throws IOException {
        String twin = Path.of(System.getProperty("camkit.tf.fixtures", "../fixtures/tensorflow"))
                .resolve("detector.json").toAbsolutePath().toString();
        for (JsonObject scene : scenes()) {
            Path image = REFERENCE.resolve(scene.get("image").getAsString());
            List<Detection> torch = explainer.detect(ExplainRequest.builder(DETECTOR).image(ImageInput.of(image))
                    .build()).get(0);
            List<Detection> tf = explainer.detect(ExplainRequest.builder(twin).image(ImageInput.of(image)).build())
                    .get(0);
            assertEquals(torch.size(), tf.size(), image + ": " + torch + " vs " + tf);
            for (int i = 0; i < torch.size(); i++) {
                assertEquals(torch.get(i).label(), tf.get(i).label(), image.toString());
                assertEquals(torch.get(i).score(), tf.get(i).score(), 1e-4f, image.toString());
                assertEquals(torch.get(i).x0(), tf.get(i).x0(), 1e-3f, image.toString());
                assertEquals(torch.get(i).y1(), tf.get(i).y1(), 1e-3f, image.toString());
            }
            for (String spec : List.of(spec(scene, "duck"), spec(scene, "top"))) {
                float[] a = explain(image, "gradcam", spec).cam();
                ImageExplanation b = explainer.explain(ExplainRequest.builder(twin).target(spec)
                        .image(ImageInput.of(image)).build()).images().get(0);
                double worst = 0;
                for (int p = 0; p < a.length; p++) {
                    worst = Math.max(worst, Math.abs(a[p] - b.cam()[p]));
                }
                assertTrue(worst <= MAP_TOLERANCE, image + " " + spec + ": TensorFlow's map differs by " + worst);
            }
        }
    }

    @Test
    void everyGradientMethodAndThePerturbationMethodsExplainADetectedBox() throws IOException {
        JsonObject scene = scenes().get(0);
        Path image = REFERENCE.resolve(scene.get("image").getAsString());
        String spec = spec(scene, "duck");
        float score = explain(image, "gradcam", spec).targetScore();
        for (String method : List.of("hirescam", "gradcamelementwise", "gradcam++", "xgradcam", "layercam",
                "eigengradcam", "shapleycam", "finercam", "scorecam", "ablationcam")) {
            ImageExplanation e = explain(image, method, spec);
            assertFalse(e.flat(), method + " gives a flat map");
            assertEquals(score, e.targetScore(), 1e-4f, method + " explains the same target");
            assertTrue(e.target().startsWith("detection duck at"), method + ": " + e.target());
        }
    }

    @Test
    void camDetectListsTheDetectionsAndWritesThemAsJson(CamkitRuntime runtime) throws IOException {
        JsonObject scene = scenes().get(0);
        Path image = REFERENCE.resolve(scene.get("image").getAsString());
        Path json = dir.resolve("d.json");
        CommandResult result = runtime.execute("cam:detect --model " + DETECTOR + " --image " + image + " --json "
                + json);
        assertNull(result.exception(), result::text);
        JsonArray expected = scene.getAsJsonArray("detections");
        assertTrue(result.text().contains(expected.size() + " detection(s)"), result.text());
        for (JsonElement d : expected) {
            assertTrue(result.text().contains(d.getAsJsonObject().get("label").getAsString()), result.text());
        }
        JsonObject written = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonArray listed = written.getAsJsonArray("images").get(0).getAsJsonObject().getAsJsonArray("detections");
        assertEquals(expected.size(), listed.size());
        String target = listed.get(0).getAsJsonObject().get("target").getAsString();
        CommandResult again = runtime.execute("cam:explain --model " + DETECTOR + " --image " + image + " --target "
                + target);
        assertNull(again.exception(), again::text);
        assertTrue(again.text().contains("1 matched"), "the listed target names exactly that box: " + again.text());
        CommandResult high = runtime.execute("cam:detect --model " + DETECTOR + " --image " + image
                + " --min-score 1");
        assertTrue(high.text().contains("0 detection(s)"), high.text());
    }

    @Test
    void camExplainWithALabelExplainsEachObjectAndWithoutATargetTheTopDetection(CamkitRuntime runtime)
            throws IOException {
        JsonObject scene = scenes().get(0);
        Path image = REFERENCE.resolve(scene.get("image").getAsString());
        JsonObject top = scene.getAsJsonArray("detections").get(0).getAsJsonObject();
        String label = top.get("label").getAsString();
        Path out = dir.resolve("d.png");
        Path json = dir.resolve("d.json");
        CommandResult result = runtime.execute("cam:explain --model " + DETECTOR + " --image " + image
                + " --target detection:" + label + " --out " + out + " --json " + json);
        assertNull(result.exception(), result::text);
        Path object = dir.resolve("d-" + label + "-0.png");
        assertTrue(Files.size(object) > 0, "one picture per object: " + result.text());
        assertEquals(112, javax.imageio.ImageIO.read(object.toFile()).getWidth());
        JsonObject written = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonArray objects = written.getAsJsonArray("objects");
        assertEquals(1, objects.size(), written.toString());
        JsonObject first = objects.get(0).getAsJsonObject();
        assertEquals(label, first.get("label").getAsString());
        assertTrue(first.has("peak") && first.has("box") && first.has("score") && first.has("targetScore"),
                written.toString());
        assertEquals(scene.getAsJsonArray("detections").size(), written.getAsJsonArray("detections").size());

        ImageExplanation byDefault = explain(image, "gradcam", "");
        assertEquals(label, byDefault.predictedLabel(), "a detector predicts its top detection");
        assertTrue(byDefault.target().startsWith("detection " + label + " at"), byDefault.target());
        assertTrue(byDefault.detections().get(0).explained(), "the top detection is the one explained");
    }

    @Test
    void camCompareDrawsMethodsThroughADetectionTargetWithBoxes() throws IOException {
        JsonObject scene = scenes().get(0);
        Path image = REFERENCE.resolve(scene.get("image").getAsString());
        String spec = spec(scene, "duck");
        Comparison c = explainer.compare(ExplainRequest.builder(DETECTOR).target(spec).image(ImageInput.of(image))
                .build(), List.of("gradcam", "eigencam", "gradcam++"));
        assertEquals(3, c.entries().stream().filter(e -> e.explanation() != null).count(), c.entries().toString());
        RgbImage boxes = explainer.render(c.entries().get(0).explanation(), 0, null, Map.of());
        RgbImage overlay = explainer.render(c.entries().get(0).explanation(), 0, "overlay", Map.of());
        assertFalse(java.util.Arrays.equals(boxes.rgb(), overlay.rgb()), "a detector's natural picture has boxes");
    }

    @Test
    void badDetectorInputIsNamedAndTheRuntimeKeepsServing() throws IOException {
        Path image = REFERENCE.resolve(scenes().get(0).get("image").getAsString());
        String descriptor = Files.readString(Path.of("../models/demo-detector.json"));
        Path model = Path.of("../models/demo-detector.pt").toAbsolutePath();
        Path wrongLabels = dir.resolve("wrong-labels.json");
        Files.writeString(wrongLabels, descriptor.replace("\"demo-detector.pt\"", "\"" + model + "\"")
                .replace("\"duck\"", "\"duck\", \"zebra\"").replace("\"name\": \"demo-detector\"",
                        "\"name\": \"wrong-labels\""));
        Path wrongLayout = dir.resolve("wrong-layout.json");
        Files.writeString(wrongLayout, descriptor.replace("\"demo-detector.pt\"", "\"" + model + "\"")
                .replace("xyxy-objectness-classes", "xyxy-score-label").replace("\"name\": \"demo-detector\"",
                        "\"name\": \"wrong-layout\""));
        String[][] cases = {
            {wrongLabels.toString(), "", "needs outputs [K, 9]"},
            {wrongLayout.toString(), "", "needs outputs [K, 6]"},
            {DETECTOR, "detection:zebra", "'zebra' is not a label of model 'demo-detector'"},
            {DETECTOR, "detection:duck@1,2,3", "is not four numbers"},
            {DETECTOR, "detection:duck@30,10,10,40", "corners swapped"},
            {DETECTOR, "detection:duck@0,0,200,20", "lies outside the image (0,0,112,112)"},
            {DETECTOR, "detection:duck@1,2,3,4:2", "outside [0, 1)"},
            {"demo-clean", "detection:duck", "is not a detector"}};
        for (String[] c : cases) {
            CamException e = assertThrows(CamException.class, () -> explainer.explain(ExplainRequest.builder(c[0])
                    .target(c[1]).image(ImageInput.of(image)).build()), c[0] + " " + c[1]);
            assertTrue(e.getMessage().contains(c[2]), c[0] + " " + c[1] + ": " + e.getMessage());
        }
        JsonArray detected = scenes().get(0).getAsJsonArray("detections");
        String missing = List.of("charmander", "bulbasaur", "duck").stream().filter(l -> {
            for (JsonElement d : detected) {
                if (d.getAsJsonObject().get("label").getAsString().equals(l)) {
                    return false;
                }
            }
            return true;
        }).findFirst().orElseThrow();
        CamException none = assertThrows(CamException.class, () -> explain(image, "gradcam", "detection:"
                + missing));
        assertTrue(none.getMessage().contains("nothing in this image is detected as '" + missing + "'")
                && none.getMessage().contains(detected.get(0).getAsJsonObject().get("label").getAsString()),
                none.getMessage());
        assertThrows(CamException.class, () -> explainer.detect(ExplainRequest.builder("demo-clean")
                .image(ImageInput.of(image)).build()));
        assertFalse(explain(image, "gradcam", "").flat(), "the runtime keeps serving");
    }

    @Test
    void theDemosDetectorSectionPassesOnHeldOutScenes() throws IOException {
        DetectorRun.Result result = new DetectorRun(explainer, line -> { }).run(30, 2024, dir, 2, 2);
        assertTrue(result.passed(), result.toString());
        assertEquals(3, result.toString().split("PASS", -1).length - 1, result.toString());
        assertFalse(result.pictures().isEmpty(), result.toString());
        for (Path picture : result.pictures()) {
            assertTrue(Files.size(picture) > 0, picture.toString());
        }
        assertTrue(Files.size(dir.resolve("summary.png")) > 0);
    }
}
