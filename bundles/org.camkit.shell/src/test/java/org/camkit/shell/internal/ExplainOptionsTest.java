package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.LayerAggregation;
import org.camkit.api.Progress;
import org.junit.jupiter.api.Test;

class ExplainOptionsTest {

    @Test
    void requestCarriesModelImagesMethodLayersTargetOptionsAndFlags() {
        ExplainOptions options = new ExplainOptions("models/pokemon.json", List.of(Path.of("a.png"), Path.of("b.png")),
                "gradcam++", List.of("features.6", "features.7"), "class:bulbasaur", Map.of("batch-size", "32"),
                true, false, true, Optional.of(LayerAggregation.PRODUCT), Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty());

        ExplainRequest request = options.request(Progress.NONE);

        assertEquals("models/pokemon.json", request.model());
        assertEquals(List.of(ImageInput.of(Path.of("a.png")), ImageInput.of(Path.of("b.png"))), request.images());
        assertEquals("gradcam++", request.method());
        assertEquals(List.of("features.6", "features.7"), request.layers());
        assertEquals("class:bulbasaur", request.target());
        assertEquals(Map.of("batch-size", "32"), request.options());
        assertTrue(request.augSmooth());
        assertEquals(false, request.eigenSmooth());
        assertTrue(request.originalSize());
        assertEquals(LayerAggregation.PRODUCT, request.aggregation());
    }

    @Test
    void imageWeightAndColormapBecomeVisualizerOptionsOnlyWhenGiven() {
        assertEquals(Map.of("image-weight", "0.3", "colormap", "turbo"),
                ExplainOptions.renderOptions(" 0.3", "turbo "));
        assertEquals(Map.of("colormap", "hot"), ExplainOptions.renderOptions(Args.ABSENT, "hot"));
        assertEquals(Map.of(), ExplainOptions.renderOptions(Args.ABSENT, Args.ABSENT));
    }

    @Test
    void imageWeightMustBeANumberFromZeroToOne() {
        assertEquals("0", ExplainOptions.imageWeight("0"));
        assertEquals("1.0", ExplainOptions.imageWeight("1.0"));
        for (String bad : List.of("1.01", "-0.5", "heavy", "NaN")) {
            CamException e = assertThrows(CamException.class, () -> ExplainOptions.renderOptions(bad, Args.ABSENT));
            assertTrue(e.getMessage().contains("--image-weight") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
