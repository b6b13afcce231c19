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
import org.junit.jupiter.api.Test;

class ExplainOptionsTest {

    @Test
    void defaultsApplyWhenOnlyModelAndImageAreGiven() {
        ExplainOptions options = ExplainOptions.parse(Map.of("model", "resnet", "image", "cat.png", "layer", ""));

        assertEquals("gradcam", options.method());
        assertEquals(List.of(), options.layers());
        assertEquals("", options.target());
        assertEquals("overlay", options.visualizer());
        assertEquals(Map.of(), options.renderOptions());
        assertEquals(Optional.empty(), options.out());
        assertEquals(Optional.empty(), options.camOut());
        assertEquals(Optional.empty(), options.json());
    }

    @Test
    void commaSeparatedImagesAndLayersAreSplitAndTrimmed() {
        ExplainOptions options = ExplainOptions.parse(
                Map.of("model", "m", "image", "a.png, dir/b.jpg ,c.png", "layer", "layer3,layer4"));

        assertEquals(List.of(Path.of("a.png"), Path.of("dir/b.jpg"), Path.of("c.png")), options.images());
        assertEquals(List.of("layer3", "layer4"), options.layers());
    }

    @Test
    void emptyItemInACommaListIsAnErrorNamingTheOption() {
        CamException e = assertThrows(CamException.class,
                () -> ExplainOptions.parse(Map.of("model", "m", "image", "a.png,,b.png")));

        assertTrue(e.getMessage().contains("--image"), e.getMessage());
    }

    @Test
    void missingModelOrImageIsAnErrorNamingTheOption() {
        CamException noModel = assertThrows(CamException.class,
                () -> ExplainOptions.parse(Map.of("image", "a.png")));
        CamException noImage = assertThrows(CamException.class,
                () -> ExplainOptions.parse(Map.of("model", "m", "image", " ")));

        assertTrue(noModel.getMessage().contains("--model"), noModel.getMessage());
        assertTrue(noImage.getMessage().contains("--image"), noImage.getMessage());
    }

    @Test
    void imageWeightAndColormapBecomeVisualizerOptions() {
        ExplainOptions options = ExplainOptions.parse(
                Map.of("model", "m", "image", "a.png", "image-weight", "0.3", "colormap", "turbo"));

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
                "method", "gradcam++", "layer", "features.7", "target", "class:bulbasaur"));

        ExplainRequest request = ExplainOptions.parse(given).request();

        assertEquals("models/pokemon.json", request.model());
        assertEquals(List.of(ImageInput.of(Path.of("a.png")), ImageInput.of(Path.of("b.png"))), request.images());
        assertEquals("gradcam++", request.method());
        assertEquals(List.of("features.7"), request.layers());
        assertEquals("class:bulbasaur", request.target());
    }

    @Test
    void outputPathsAreKept() {
        ExplainOptions options = ExplainOptions.parse(Map.of("model", "m", "image", "a.png", "out", "o.png",
                "cam-out", "c.npy", "json", "r.json", "visualizer", "heatmap"));

        assertEquals(Optional.of(Path.of("o.png")), options.out());
        assertEquals(Optional.of(Path.of("c.npy")), options.camOut());
        assertEquals(Optional.of(Path.of("r.json")), options.json());
        assertEquals("heatmap", options.visualizer());
    }
}
