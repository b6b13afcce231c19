package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.Progress;
import org.junit.jupiter.api.Test;

class ExplainOptionsTest {

    @Test
    void defaultsApplyWhenOnlyModelAndImageAreGiven() {
        ExplainOptions options = ExplainOptions.parse(Map.of("model", "resnet", "image", "cat.png"),
                Map.of("layer", List.of()));

        assertEquals("gradcam", options.method());
        assertEquals(List.of(), options.layers());
        assertEquals("", options.target());
        assertEquals(Optional.empty(), options.visualizer(), "the core picks the natural picture");
        assertEquals(Map.of(), options.renderOptions());
        assertEquals(Map.of(), options.methodOptions());
        assertEquals(false, options.augSmooth());
        assertEquals(false, options.eigenSmooth());
        assertEquals(Optional.empty(), options.out());
        assertEquals(Optional.empty(), options.camOut());
        assertEquals(Optional.empty(), options.json());
    }

    @Test
    void commaSeparatedImagesAndLayersAreSplitAndTrimmed() {
        ExplainOptions options = ExplainOptions.parse(Map.of("model", "m", "image", "a.png, dir/b.jpg ,c.png"),
                Map.of("layer", List.of("layer3,layer4")));

        assertEquals(List.of(Path.of("a.png"), Path.of("dir/b.jpg"), Path.of("c.png")), options.images());
        assertEquals(List.of("layer3", "layer4"), options.layers());
    }

    @Test
    void emptyItemInACommaListIsAnErrorNamingTheOption() {
        CamException e = assertThrows(CamException.class,
                () -> ExplainOptions.parse(Map.of("model", "m", "image", "a.png,,b.png"), Map.of()));

        assertTrue(e.getMessage().contains("--image"), e.getMessage());
    }

    @Test
    void missingModelOrImageIsAnErrorNamingTheOption() {
        CamException noModel = assertThrows(CamException.class,
                () -> ExplainOptions.parse(Map.of("image", "a.png"), Map.of()));
        CamException noImage = assertThrows(CamException.class,
                () -> ExplainOptions.parse(Map.of("model", "m", "image", " "), Map.of()));

        assertTrue(noModel.getMessage().contains("--model"), noModel.getMessage());
        assertTrue(noImage.getMessage().contains("--image"), noImage.getMessage());
    }

    @Test
    void imageWeightAndColormapBecomeVisualizerOptions() {
        ExplainOptions options = ExplainOptions.parse(
                Map.of("model", "m", "image", "a.png", "image-weight", "0.3", "colormap", "turbo"), Map.of());

        assertEquals(Map.of("image-weight", "0.3", "colormap", "turbo"), options.renderOptions());
    }

    @Test
    void imageWeightMustBeANumberFromZeroToOne() {
        assertEquals("0", ExplainOptions.imageWeight("0"));
        assertEquals("1.0", ExplainOptions.imageWeight("1.0"));
        for (String bad : List.of("1.01", "-0.5", "heavy", "NaN")) {
            CamException e = assertThrows(CamException.class, () -> ExplainOptions.imageWeight(bad));
            assertTrue(e.getMessage().contains("--image-weight") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void requestCarriesModelImagesMethodLayersAndTarget() {
        Map<String, String> given = new HashMap<>(Map.of("model", "models/pokemon.json", "image", "a.png,b.png",
                "method", "gradcam++", "target", "class:bulbasaur"));

        ExplainRequest request = ExplainOptions.parse(given, Map.of("layer", List.of("features.7")))
                .request(Progress.NONE);

        assertEquals("models/pokemon.json", request.model());
        assertEquals(List.of(ImageInput.of(Path.of("a.png")), ImageInput.of(Path.of("b.png"))), request.images());
        assertEquals("gradcam++", request.method());
        assertEquals(List.of("features.7"), request.layers());
        assertEquals("class:bulbasaur", request.target());
    }

    @Test
    void outputPathsAreKept() {
        ExplainOptions options = ExplainOptions.parse(Map.of("model", "m", "image", "a.png", "out", "o.png",
                "cam-out", "c.npy", "json", "r.json", "visualizer", "heatmap"), Map.of());

        assertEquals(Optional.of(Path.of("o.png")), options.out());
        assertEquals(Optional.of(Path.of("c.npy")), options.camOut());
        assertEquals(Optional.of(Path.of("r.json")), options.json());
        assertEquals(Optional.of("heatmap"), options.visualizer());
    }

    @Test
    void everyLayerValueCountsInOrderAndEachMayBeACommaList() {
        ExplainOptions options = ExplainOptions.parse(Map.of("model", "m", "image", "a.png"),
                Map.of("layer", List.of("layer2", "layer3, layer4")));

        assertEquals(List.of("layer2", "layer3", "layer4"), options.layers());
    }

    @Test
    void methodOptionsAndSmoothingFlagsReachTheRequest() {
        Map<String, String> given = Map.of("model", "m", "image", "a.png", "aug-smooth", "true",
                "eigen-smooth", "false");

        ExplainRequest request = ExplainOptions.parse(given,
                Map.of("option", List.of("batch-size=32", "ratio-channels-to-ablate=0.5"))).request(Progress.NONE);

        assertEquals(Map.of("batch-size", "32", "ratio-channels-to-ablate", "0.5"), request.options());
        assertTrue(request.augSmooth());
        assertEquals(false, request.eigenSmooth());
    }

    @Test
    void malformedMethodOptionIsAnErrorNamingIt() {
        CamException e = assertThrows(CamException.class, () -> ExplainOptions.parse(
                Map.of("model", "m", "image", "a.png"), Map.of("option", List.of("batch-size:32"))));

        assertTrue(e.getMessage().contains("--option 'batch-size:32'"), e.getMessage());
    }
}
