package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LIME and KernelSHAP through the Explainer service on real models in Felix: the TorchScript ResNet fixture (its
 * reference pictures) and the biased demo model (a duck beside Bulbasaur). KernelSHAP's values add up to
 * {@code f(x) - f(baseline)} and its {@code f(x)} is the target score the explanation reports; LIME reports its
 * surrogate's R^2; the same seed gives the same map.
 */
@ExtendWith(FelixRuntime.class)
class AgnosticMethodsIT {

    private static final Path RESNET = TorchScriptIT.FIXTURES.resolve("resnet.pt");
    private static final Path PICTURE = TorchScriptIT.FIXTURES.resolve("reference/methods/image0.png");

    private final Explainer explainer = FelixRuntime.explainer();

    private ImageExplanation explain(String model, ImageInput image, String method, Map<String, String> options) {
        ExplainRequest.Builder request = ExplainRequest.builder(model).method(method).image(image);
        options.forEach(request::option);
        return explainer.explain(request.build()).images().get(0);
    }

    private ImageExplanation onResnet(String method, Map<String, String> options) {
        return explain(RESNET.toString(), new ImageInput.File(PICTURE), method, options);
    }

    private ImageExplanation onDemo(String method, Map<String, String> options) {
        return explain(Scenes.BIASED, ImageInput.of(Scenes.scene(explainer, Scenes.BIASED, 5, 0, true).image()),
                method, options);
    }

    @Test
    void bothMethodsAreRegistered() {
        assertTrue(explainer.plugins(PluginInfo.Kind.METHOD).stream().map(PluginInfo::name).toList()
                .containsAll(java.util.List.of("lime", "kernelshap")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "demo"})
    void kernelShapValuesAddUpToTheScoreAboveTheBaseline(String model) {
        ImageExplanation e = model.equals("resnet") ? onResnet("kernelshap", Map.of())
                : onDemo("kernelshap", Map.of());
        Map<String, Double> d = e.details();
        assertEquals(d.get("fx") - d.get("base"), d.get("sum"), 1e-3 * Math.max(1, Math.abs(d.get("fx"))),
                "efficiency: sum phi = f(x) - f(baseline), " + d);
        assertEquals(e.targetScore(), d.get("fx"), 1e-3 * Math.max(1, Math.abs(e.targetScore())),
                "f(x) is the target's score on the clean image");
        assertTrue(Math.abs(d.get("fx") - d.get("base")) > 1e-4, "the blurred image scores otherwise: " + d);
        assertNormalised(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "demo"})
    void limeReportsItsSurrogatesFit(String model) {
        ImageExplanation e = model.equals("resnet") ? onResnet("lime", Map.of()) : onDemo("lime", Map.of());
        Double r2 = e.details().get("r2");
        assertTrue(r2 != null && r2 <= 1 && Double.isFinite(r2), "r2 " + e.details());
        assertTrue(Double.isFinite(e.details().get("intercept")), "intercept " + e.details());
        assertNormalised(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lime", "kernelshap"})
    void theSameSeedGivesTheSameMap(String method) {
        Map<String, String> options = Map.of("seed", "3", "samples", "200", "segments", "30");
        assertArrayEquals(onResnet(method, options).cam(), onResnet(method, options).cam());
    }

    private static void assertNormalised(ImageExplanation e) {
        float[] cam = e.cam();
        assertEquals(e.width() * e.height(), cam.length);
        float max = 0;
        for (float v : cam) {
            assertTrue(v >= 0 && v <= 1 + 1e-6f, "map value " + v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-4f, "normalised to a maximum of 1");
    }
}
