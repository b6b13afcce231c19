package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.camkit.api.Concept;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class RenderStepTest {

    @Test
    void theNaturalPictureIsTheGradientImageThenTheConceptsElseTheOverlay() {
        assertEquals("gradient", RenderStep.naturalPicture(result(new float[3], List.of())));
        assertEquals("concepts", RenderStep.naturalPicture(result(null, List.of(new Concept("duck", new float[1])))));
        assertEquals("overlay", RenderStep.naturalPicture(result(null, List.of())));
    }

    private static ImageExplanation result(float[] gradient, List<Concept> concepts) {
        return new ImageExplanation("a.png", new RgbImage(1, 1, new byte[3]), new float[1], new float[] {1f}, 0,
                "duck", "class 0 (duck)", 1f, 0, gradient, concepts);
    }
}
