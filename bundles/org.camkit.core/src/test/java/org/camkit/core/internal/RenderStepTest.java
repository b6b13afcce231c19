package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.camkit.api.Concept;
import org.camkit.api.Detection;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class RenderStepTest {

    @Test
    void theNaturalPictureIsTheGradientImageThenTheConceptsThenADetectorsBoxesElseTheOverlay() {
        assertEquals("gradient", RenderStep.naturalPicture(result(new float[3], List.of())));
        assertEquals("concepts", RenderStep.naturalPicture(result(null, List.of(new Concept("duck", new float[1])))));
        assertEquals("overlay", RenderStep.naturalPicture(result(null, List.of())));
        ImageExplanation detected = new ImageExplanation("a.png", new RgbImage(1, 1, new byte[3]), new float[1],
                new float[8], 0, "duck", "detection duck", 1f, 0, null, List.of(), Map.of(),
                List.of(new Detection(0, "duck", 0.9f, 0, 0, 1, 1, true)));
        assertEquals("boxes", RenderStep.naturalPicture(detected));
    }

    private static ImageExplanation result(float[] gradient, List<Concept> concepts) {
        return new ImageExplanation("a.png", new RgbImage(1, 1, new byte[3]), new float[1], new float[] {1f}, 0,
                "duck", "class 0 (duck)", 1f, 0, gradient, concepts);
    }
}
