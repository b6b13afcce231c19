package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partition SHAP on the TorchScript ResNet fixture against shap 0.51's {@code PartitionExplainer} with
 * {@code maskers.Image} ({@code fixtures/torchscript/reference/partitionshap}, written by
 * {@code tools/camkit-export/partition_references.py}): the same 8-bit pictures, class and masker, the same budget and
 * batch size, so the same cells are refined in the same order; the map equals shap's values after the core's ReLU and
 * min-max within 1e-5 (5e-7 seen: the engines' float rounding), and f(baseline) equals shap's expected value. On
 * the real model the values sum to {@code f(x) - f(baseline)}, f(x) is the core's own target score, and the budget
 * bounds the forward passes.
 */
@ExtendWith(FelixRuntime.class)
class PartitionShapIT {

    private static final Path REFERENCE = TorchScriptIT.FIXTURES.resolve("reference/partitionshap");
    private static final String MODEL = TorchScriptIT.FIXTURES.resolve("resnet.pt").toString();

    private final Explainer explainer = FelixRuntime.explainer();

    private static JsonObject meta() throws Exception {
        return JsonParser.parseString(Files.readString(REFERENCE.resolve("partitionshap.json"))).getAsJsonObject();
    }

    private ImageExplanation explain(int image, int target, Map<String, String> options, List<int[]> progress) {
        ExplainRequest.Builder b = ExplainRequest.builder(MODEL).method("partitionshap").target("class:" + target)
                .image(ImageInput.of(REFERENCE.resolve("image" + image + ".png")))
                .progress((task, done, total) -> progress.add(new int[] {done, total}));
        options.forEach(b::option);
        return explainer.explain(b.build()).images().get(0);
    }

    @Test
    void theValuesSumToTheScoreOfTheImageLessTheScoreOfItsBlurredCopy() throws Exception {
        JsonObject meta = meta();
        for (int i = 0; i < 2; i++) {
            int c = meta.getAsJsonArray("predicted").get(i).getAsInt();
            ImageExplanation e = explain(i, c, Map.of(), new ArrayList<>());
            Map<String, Double> d = e.details();
            assertEquals(e.targetScore(), d.get("fx"), 1e-4, "f(x) is the target's score");
            assertEquals(d.get("fx") - d.get("base"), d.get("sum"), 1e-4, "efficiency, image " + i);
            assertTrue(d.get("passes") <= 500, "the default budget is 500: " + d);
            assertTrue(Math.abs(d.get("sum")) > 1e-2, "a blurred picture changes the score: " + d);
        }
    }

    @Test
    void withABlurMaskerTheMapEqualsShapsPartitionExplainer() throws Exception {
        compare("blur", Map.of("max-evals", "500", "batch-size", "64", "blur", "37"), 1e-5);
    }

    @Test
    void withAConstantColourTheMapEqualsShapsPartitionExplainer() throws Exception {
        compare("colour", Map.of("masker", "colour", "colour", "128,64,200", "max-evals", "300", "batch-size", "10"),
                1e-5);
    }

    /**
     * Within 5e-3, a little over one level of the 8-bit picture (1/255): camkit inpaints with OpenCV 4.9 (openpnp's
     * Java build), the reference with cv2 5.0 (the only one in the machine's Python package set), and their 8-bit
     * inpaintings differ by a level here and there (2.5e-4 and 1.8e-3 of the finished maps seen); f(x), f(baseline)
     * and the evaluations agree exactly.
     */
    @Test
    void withTeleaInpaintingTheMapEqualsShapsPartitionExplainer() throws Exception {
        compare("inpaint", Map.of("masker", "inpaint_telea", "max-evals", "300", "batch-size", "64"), 5e-3);
    }

    private void compare(String name, Map<String, String> options, double tolerance) throws Exception {
        JsonObject meta = meta();
        JsonObject c = meta.getAsJsonObject("cases").getAsJsonObject(name);
        assertEquals(c.get("max_evals").getAsString(), options.get("max-evals"));
        assertEquals(c.get("batch_size").getAsString(), options.get("batch-size"));
        Tensor values = Npy.read(REFERENCE.resolve("resnet_" + name + ".npy"));
        int plane = values.dim(1) * values.dim(2);
        for (int k = 0; k < values.dim(0); k++) {
            JsonObject r = c.getAsJsonArray("results").get(k).getAsJsonObject();
            ImageExplanation e = explain(r.get("image").getAsInt(), r.get("class").getAsInt(), options,
                    new ArrayList<>());
            assertEquals(r.get("f(x)").getAsDouble(), e.details().get("fx"), 1e-4, name + " f(x)");
            assertEquals(r.get("f(baseline)").getAsDouble(), e.details().get("base"), 1e-4,
                    name + " f(baseline): shap's expected value");
            assertEquals(r.get("evals").getAsDouble(), e.details().get("passes"), name + " evaluations");
            float[] expected = new float[plane];
            values.copyTo(k * plane, expected, 0, plane);
            expected = finish(finish(expected));
            float[] map = e.cam();
            double worst = 0;
            for (int p = 0; p < plane; p++) {
                worst = Math.max(worst, Math.abs(map[p] - expected[p]));
            }
            assertTrue(worst <= tolerance, name + " on image " + r.get("image") + ": max |camkit - shap| = " + worst);
        }
    }

    /** The core's finishing of a map: ReLU, then min-max. */
    private static float[] finish(float[] map) {
        for (int p = 0; p < map.length; p++) {
            map[p] = Math.max(map[p], 0f);
        }
        return MapProcessing.normalize(map);
    }

    @Test
    void theBudgetBoundsTheForwardPasses() throws Exception {
        int c = meta().getAsJsonArray("predicted").get(0).getAsInt();
        List<int[]> progress = new ArrayList<>();
        ImageExplanation e = explain(0, c, Map.of("max-evals", "100", "batch-size", "16"), progress);
        // f(x) and f(baseline), then rounds of 1, 4 and 8 cells: 2 + 2 + 8 + 5 * 16 + 8 = 100 images in 9 passes
        assertEquals(100.0, e.details().get("passes"));
        assertEquals(9, progress.size(), "one progress report per forward pass");
        assertEquals(List.of(9, 9), List.of(progress.get(8)[0], progress.get(8)[1]));
    }
}
