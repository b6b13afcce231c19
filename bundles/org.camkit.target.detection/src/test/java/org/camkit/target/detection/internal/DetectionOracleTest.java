package org.camkit.target.detection.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.camkit.spi.DetectionLayout;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

/**
 * The detection target and the suppression against their oracles ({@code fixtures/torchscript/reference/detector},
 * written by {@code tools/camkit-export/detection_references.py}): pytorch-grad-cam's FasterRCNNBoxScoreTarget's
 * scores and autograd seeds on hand-made outputs, and OpenCV's {@code NMSBoxesBatched} on hand-made boxes.
 */
class DetectionOracleTest {

    static final Path REFERENCE = Path.of("../../fixtures/torchscript/reference/detector");

    private static JsonObject read(String file) throws IOException {
        return JsonParser.parseString(Files.readString(REFERENCE.resolve(file))).getAsJsonObject();
    }

    private static float[] floats(JsonElement rows) {
        List<Float> out = new ArrayList<>();
        flatten(rows, out);
        float[] values = new float[out.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = out.get(i);
        }
        return values;
    }

    private static void flatten(JsonElement e, List<Float> out) {
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> flatten(x, out));
        } else {
            out.add(e.getAsFloat());
        }
    }

    @Test
    void theTargetScoresAndSeedsAsFasterRcnnBoxScoreTarget() throws IOException {
        JsonObject all = read("targets.json");
        List<String> labels = new ArrayList<>();
        all.getAsJsonArray("labels").forEach(l -> labels.add(l.getAsString()));
        ModelDescriptor model = new ModelDescriptor("demo-detector", "pytorch", Path.of("d.pt"), "", 112, 112,
                new float[3], new float[] {1, 1, 1}, labels, "stage2", Map.of(), "RGB", null,
                new DetectionLayout(DetectionLayout.OBJECTNESS_CLASSES, all.get("scoreThreshold").getAsFloat(),
                        all.get("nmsIou").getAsFloat()));
        DetectionTarget target = new DetectionTarget();
        int compared = 0;
        for (JsonElement element : all.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            String name = c.get("name").getAsString();
            String spec = c.get("spec").getAsString();
            float[] output = floats(c.get("output"));
            int rows = c.getAsJsonArray("output").size();
            JsonElement ref = c.get("reference");
            float[] reference = ref.isJsonPrimitive() ? output : floats(ref);
            int colon = spec.indexOf(':');
            TargetRequest request = new TargetRequest(colon < 0 ? "" : spec.substring(colon + 1), output, model,
                    reference, new int[] {rows, 8});
            if (c.getAsJsonArray("referenceBoxes").isEmpty()) {
                // pytorch-grad-cam scores 0 without reference boxes; camkit refuses, naming what was detected
                CamException e = assertThrows(CamException.class, () -> target.resolve(request), name);
                assertTrue(e.getMessage().contains("nothing in this image is detected as"), e.getMessage());
                continue;
            }
            TargetScore score = target.resolve(request);
            assertEquals(c.get("score").getAsFloat(), score.score(), 1e-5f, name + ": score");
            assertArrayEquals(floats(c.get("seed")), score.seed(), 1e-5f, name + ": seed");
            compared++;
        }
        assertTrue(compared >= 12, compared + " cases compared");
    }

    @Test
    void suppressionKeepsWhatOpenCvsNmsBoxesBatchedKeeps() throws IOException {
        JsonObject nms = read("nms.json");
        JsonArray boxes = nms.getAsJsonArray("boxes");
        float[] flat = floats(boxes);
        float[] scores = floats(nms.get("scores"));
        int[] classes = new int[scores.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = nms.getAsJsonArray("classes").get(i).getAsInt();
        }
        int cases = 0;
        for (JsonElement element : nms.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            float threshold = c.get("scoreThreshold").getAsFloat();
            float iou = c.get("nmsIou").getAsFloat();
            // the boxes as the rows of an xyxy-score-label output
            float[] output = new float[scores.length * 6];
            for (int r = 0; r < scores.length; r++) {
                System.arraycopy(flat, r * 4, output, r * 6, 4);
                output[r * 6 + 4] = scores[r];
                output[r * 6 + 5] = classes[r];
            }
            ModelDescriptor model = new ModelDescriptor("boxes", "pytorch", Path.of("b.pt"), "", 128, 128,
                    new float[3], new float[] {1, 1, 1}, List.of("a", "b", "c"), "l", Map.of(), "RGB", null,
                    new DetectionLayout(DetectionLayout.SCORE_LABEL, threshold, iou));
            int[] kept = model.detection().keep(output, new int[] {scores.length, 6}, model);
            int[] expected = c.getAsJsonArray("kept").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
            assertArrayEquals(expected, kept, "score > " + threshold + ", IoU " + iou);
            cases++;
        }
        assertTrue(cases >= 4, cases + " cases");
    }
}
