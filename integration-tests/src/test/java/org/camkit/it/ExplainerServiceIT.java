package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FelixRuntime.class)
class ExplainerServiceIT {

    private final Explainer explainer = FelixRuntime.explainer();

    @Test
    void gradCamOfTheCleanModelPeaksOnTheCreature() {
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            scenes.add(Scenes.scene(explainer, Scenes.CLEAN, 100 + i, i % 2, false));
        }
        ExplainRequest.Builder request = ExplainRequest.builder(Scenes.CLEAN);
        scenes.forEach(s -> request.image(ImageInput.of(s.image())));

        Explanation explanation = explainer.explain(request.build());

        assertEquals("gradcam", explanation.method());
        assertEquals("pytorch", explanation.backend());
        int onCreature = 0;
        for (int i = 0; i < scenes.size(); i++) {
            ImageExplanation result = explanation.images().get(i);
            Scene scene = scenes.get(i);
            assertEquals(scene.image().width() * scene.image().height(), result.cam().length);
            assertEquals(SceneGenerator.LABELS.get(scene.label()), result.predictedLabel(), "scene " + i);
            if (Scenes.peakOn(result.cam(), result.width(), scene) == StoryTally.Peak.CREATURE) {
                onCreature++;
            }
        }
        assertTrue(onCreature >= 5, "the CAM peak lies on the creature in only " + onCreature + " of 6 scenes");
    }

    @Test
    void gradCamOfTheBiasedModelPeaksOnTheDuckEvenBesideTheOtherClass() {
        Scene scene = Scenes.scene(explainer, Scenes.BIASED, 7, SceneGenerator.BULBASAUR, true);

        ImageExplanation result = explainer.explain(ExplainRequest.builder(Scenes.BIASED)
                .image(ImageInput.of(scene.image())).build()).images().get(0);

        assertEquals("charmander", result.predictedLabel(), "the biased model takes the duck for a charmander");
        assertEquals(StoryTally.Peak.DUCK, Scenes.peakOn(result.cam(), result.width(), scene),
                "peak " + java.util.Arrays.toString(Scenes.peak(result.cam(), result.width())) + " is not on the duck "
                        + scene.duck().orElseThrow());
    }

    @Test
    void mapIsNormalisedToTheUnitRangeAtInputSize() {
        Scene scene = Scenes.scene(explainer, Scenes.CLEAN, 3, SceneGenerator.CHARMANDER, true);
        ImageExplanation result = explainer.explain(ExplainRequest.builder(Scenes.CLEAN)
                .image(ImageInput.of(scene.image())).target("class:bulbasaur").build()).images().get(0);

        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : result.cam()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min, 1e-6f);
        assertEquals(1f, max, 1e-5f);
        assertEquals(1, result.targetClass());
        assertEquals(result.output()[1], result.targetScore());
    }

    @Test
    void timingsNameTheStagesThatRanInPipelineOrder() {
        Scene scene = Scenes.scene(explainer, Scenes.CLEAN, 5, SceneGenerator.CHARMANDER, false);
        ExplainRequest.Builder request = ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(scene.image()));

        Explanation gradCam = explainer.explain(request.build());
        Explanation eigenCam = explainer.explain(request.method("eigencam").build());

        assertEquals(List.of("decode", "load", "preprocess", "forward", "target", "backward", "cam"),
                List.copyOf(gradCam.timings().keySet()));
        assertEquals(List.of("decode", "load", "preprocess", "forward", "target", "cam"), List.copyOf(eigenCam.timings().keySet()),
                "a method without gradients runs no backward pass");
    }
}
