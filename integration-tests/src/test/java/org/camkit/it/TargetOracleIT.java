package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole-output targets and the Sobel baseline against pytorch-grad-cam itself on the TorchScript ResNet fixture
 * ({@code fixtures/torchscript/reference/targets}, written by {@code tools/camkit-export/target_references.py}):
 * Grad-CAM with {@code scores}, {@code similarity:<concept.npy>} and {@code difference:<concept.npy>} (the concept of
 * each image being the other image's output) and {@code sobel}, maps within 1e-3 of the normalised map.
 * {@code softmax-vector} has a zero gradient (its score is always 1): camkit gives a flat zero map, as pytorch-grad-cam
 * does where torch's float32 sum of the softmax is exactly 1; where it rounds away from 1, pytorch-grad-cam's map is
 * that rounding error blown up by the min-max normalisation, not compared.
 */
@ExtendWith(FelixRuntime.class)
class TargetOracleIT {

    private static final Path REFERENCE = TorchScriptIT.FIXTURES.resolve("reference/targets");
    private static final int IMAGES = 2;

    private final Explainer explainer = FelixRuntime.explainer();

    @ParameterizedTest
    @CsvSource({"scores, scores, layer3", "scores_layer2, scores, layer2", "similarity, similarity, layer3",
            "difference, difference, layer3"})
    void gradCamWithTheTargetEqualsPytorchGradCams(String reference, String target, String layer) throws Exception {
        Tensor maps = Npy.read(REFERENCE.resolve(reference + ".npy"));
        for (int i = 0; i < IMAGES; i++) {
            String spec = target.equals("scores") ? target
                    : target + ":" + REFERENCE.resolve("concept" + i + ".npy").toAbsolutePath();
            ImageExplanation e = explain(i, "gradcam", List.of(layer), spec);
            assertEquals(-1, e.targetClass(), spec);
            assertClose(reference + " on image " + i, maps, i, e.cam());
        }
    }

    @Test
    void softmaxVectorHasAZeroGradientAndGivesAFlatZeroMap() throws Exception {
        JsonArray perImage = meta().getAsJsonObject("per_image").getAsJsonArray("softmax-vector");
        Tensor maps = Npy.read(REFERENCE.resolve("softmax-vector.npy"));
        int exactlyZero = 0;
        for (int i = 0; i < IMAGES; i++) {
            ImageExplanation e = explain(i, "gradcam", List.of("layer3"), "softmax-vector");
            assertEquals(1, e.targetScore(), 1e-6, "the softmax sums to 1");
            for (float v : e.cam()) {
                assertEquals(0, v, "camkit's softmax-vector map is flat zero on image " + i);
            }
            JsonObject torch = perImage.get(i).getAsJsonObject();
            double seed = 0;
            for (var v : torch.getAsJsonArray("seed")) {
                seed = Math.max(seed, Math.abs(v.getAsDouble()));
            }
            assertTrue(seed < 1e-6, "pytorch-grad-cam's seed on image " + i + " is rounding error, got " + seed);
            if (seed == 0) {
                exactlyZero++;
                assertClose("softmax-vector on image " + i, maps, i, e.cam());
            }
        }
        assertTrue(exactlyZero > 0, "the fixture has an image where torch's gradient is exactly zero");
    }

    @Test
    void sobelEqualsPytorchGradCamsSobelCam() throws Exception {
        Tensor maps = Npy.read(REFERENCE.resolve("sobel.npy"));
        for (int i = 0; i < IMAGES; i++) {
            assertClose("sobel on image " + i, maps, i, explain(i, "sobel", List.of(), "").cam());
        }
    }

    @Test
    void theNewTargetsAreListedWithTheirDescriptions() {
        Map<String, List<String>> targets = explainer.plugins(PluginInfo.Kind.TARGET).stream()
                .collect(Collectors.toMap(PluginInfo::name, PluginInfo::details));
        for (String name : List.of("scores", "softmax-vector", "similarity", "difference")) {
            assertEquals(1, targets.getOrDefault(name, List.of()).size(), name + " in " + targets.keySet());
            assertTrue(targets.get(name).get(0).startsWith(name), targets.get(name).get(0));
        }
        assertTrue(targets.get("softmax-vector").get(0).contains("WARNING"), targets.get("softmax-vector").get(0));
    }

    private ImageExplanation explain(int image, String method, List<String> layers, String target) {
        return explainer.explain(new ExplainRequest(TorchScriptIT.FIXTURES.resolve("resnet.pt").toString(),
                List.of(new ImageInput.File(REFERENCE.resolve("image" + image + ".png"))), method, layers, target))
                .images().get(0);
    }

    private static JsonObject meta() throws IOException {
        return JsonParser.parseString(Files.readString(REFERENCE.resolve("targets.json"))).getAsJsonObject();
    }

    private static void assertClose(String what, Tensor maps, int image, float[] map) {
        int plane = maps.dim(1) * maps.dim(2);
        assertEquals(plane, map.length, what);
        double worst = 0;
        for (int p = 0; p < plane; p++) {
            worst = Math.max(worst, Math.abs(map[p] - maps.get(image * plane + p)));
        }
        assertTrue(worst <= 1e-3, what + ": max |camkit - pytorch-grad-cam| = " + worst);
    }
}
