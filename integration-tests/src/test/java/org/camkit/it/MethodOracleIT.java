package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.LayerAggregation;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The newer pytorch-grad-cam methods against pytorch-grad-cam itself on the TorchScript ResNet fixture
 * ({@code fixtures/torchscript/reference/methods}, written by {@code tools/camkit-export/method_references.py}): the
 * same 8-bit pictures, layer and class target, maps within 1e-3 of the normalised map; FinerCAM as Grad-CAM with the
 * {@code finer} target, as pytorch-grad-cam's {@code FinerCAM} is; RefineCAM over layer2 and layer3, and Grad-CAM++ with
 * the product of layers, which is what it is.
 */
@ExtendWith(FelixRuntime.class)
class MethodOracleIT {

    private static final Path REFERENCE = TorchScriptIT.FIXTURES.resolve("reference/methods");

    private final Explainer explainer = FelixRuntime.explainer();

    @ParameterizedTest
    @ValueSource(strings = {"gradcam", "fem", "segeigencam", "kpcacam"})
    void theMapEqualsPytorchGradCams(String method) throws Exception {
        compare(method, method, i -> "class:" + i);
    }

    @Test
    void gradCamWithTheFinerTargetEqualsPytorchGradCamsFinerCam() throws Exception {
        compare("finercam", "gradcam", i -> "finer");
    }

    @Test
    void finerCamWithoutATargetEqualsPytorchGradCamsFinerCam() throws Exception {
        compare("finercam", "finercam", i -> "");
    }

    @Test
    void shapleyCamWithTheRestTargetEqualsPytorchGradCamsShapleyCam() throws Exception {
        compare("shapleycam", "shapleycam", i -> "rest:" + i);
    }

    @Test
    void shapleyCamsHessianTermMattersWithTheRestTarget() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> compare("shapleycam", "gradcam", i -> "rest:" + i));
        assertTrue(e.getMessage().contains("max |camkit - pytorch-grad-cam|"), e.getMessage());
    }

    @Test
    void refineCamOverTwoLayersEqualsPytorchGradCamsRefineCam() throws Exception {
        compare("refinecam", "refinecam", i -> "class:" + i, List.of("layer2", "layer3"), null);
    }

    @Test
    void gradCamPlusPlusWithTheProductOfLayersIsRefineCam() throws Exception {
        compare("refinecam", "gradcam++", i -> "class:" + i, List.of("layer2", "layer3"), LayerAggregation.PRODUCT);
    }

    @Test
    void refineCamWithTheMeanOfLayersIsNoLongerRefineCam() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> compare(
                "refinecam", "refinecam", i -> "class:" + i, List.of("layer2", "layer3"), LayerAggregation.MEAN));
        assertTrue(e.getMessage().contains("max |camkit - pytorch-grad-cam|"), e.getMessage());
    }

    private void compare(String reference, String method, java.util.function.IntFunction<String> target)
            throws Exception {
        compare(reference, method, target, List.of("layer3"), null);
    }

    /** Explains both reference images with camkit and compares with pytorch-grad-cam's maps of {@code reference}. */
    private void compare(String reference, String method, java.util.function.IntFunction<String> target,
            List<String> layers, LayerAggregation aggregation) throws Exception {
        JsonObject meta = JsonParser.parseString(Files.readString(REFERENCE.resolve("methods.json")))
                .getAsJsonObject();
        JsonArray predicted = meta.getAsJsonArray("predicted");
        Tensor maps = Npy.read(REFERENCE.resolve(reference + ".npy"));
        int plane = maps.dim(1) * maps.dim(2);
        for (int i = 0; i < predicted.size(); i++) {
            ExplainRequest.Builder request = ExplainRequest.builder(TorchScriptIT.FIXTURES.resolve("resnet.pt")
                    .toString()).image(new ImageInput.File(REFERENCE.resolve("image" + i + ".png"))).method(method)
                    .target(target.apply(predicted.get(i).getAsInt())).aggregation(aggregation);
            layers.forEach(request::layer);
            ImageExplanation e = explainer.explain(request.build()).images().get(0);
            float[] map = e.cam();
            assertEquals(plane, map.length);
            double worst = 0;
            for (int p = 0; p < plane; p++) {
                worst = Math.max(worst, Math.abs(map[p] - maps.get(i * plane + p)));
            }
            assertTrue(worst <= 1e-3, reference + " on image " + i + ": max |camkit - pytorch-grad-cam| = " + worst);
        }
    }
}
