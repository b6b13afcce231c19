package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SS-CAM, IS-CAM and Smooth Grad-CAM++ against torch-cam itself on the TorchScript ResNet fixture ({@code
 * fixtures/torchscript/reference/torchcam}, written by {@code tools/camkit-export/torchcam_references.py}): the same
 * 8-bit pictures, layer3 and the predicted class, maps within 1e-3 of torch-cam's map after camkit's post-processing.
 * The noise is not compared statistically: the generator made torch-cam draw the very Gaussians camkit's
 * {@code sscam} and {@code smoothgradcam++} draw ({@code java.util.Random(seed).nextGaussian()}, the seed an option), so the maps must agree.
 */
@ExtendWith(FelixRuntime.class)
class TorchCamOracleIT {

    private static final Path REFERENCE = TorchScriptIT.FIXTURES.resolve("reference/torchcam");

    private final Explainer explainer = FelixRuntime.explainer();

    @ParameterizedTest
    @ValueSource(strings = {"sscam", "sscam_seed7", "iscam", "smoothgradcampp"})
    void theMapEqualsTorchCamsWithTheSameNoise(String reference) throws Exception {
        JsonObject meta = JsonParser.parseString(Files.readString(REFERENCE.resolve("torchcam.json")))
                .getAsJsonObject();
        JsonArray predicted = meta.getAsJsonArray("predicted");
        JsonObject camkit = meta.getAsJsonObject("cases").getAsJsonObject(reference).getAsJsonObject("camkit");
        String method = camkit.get("method").getAsString();
        Map<String, String> options = new LinkedHashMap<>();
        camkit.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
        Tensor maps = Npy.read(REFERENCE.resolve(reference + ".npy"));
        int plane = maps.dim(1) * maps.dim(2);
        for (int i = 0; i < predicted.size(); i++) {
            ImageExplanation e = explainer.explain(new ExplainRequest(
                    TorchScriptIT.FIXTURES.resolve("resnet.pt").toString(),
                    List.of(new ImageInput.File(REFERENCE.resolve("image" + i + ".png"))), method, List.of("layer3"),
                    "class:" + predicted.get(i).getAsInt(), options, false, false, null)).images().get(0);
            float[] map = e.cam();
            assertEquals(plane, map.length);
            double worst = 0;
            for (int p = 0; p < plane; p++) {
                worst = Math.max(worst, Math.abs(map[p] - maps.get(i * plane + p)));
            }
            assertTrue(worst <= 1e-3, reference + " (" + method + " " + options + ") on image " + i
                    + ": max |camkit - torch-cam| = " + worst);
        }
    }
}
