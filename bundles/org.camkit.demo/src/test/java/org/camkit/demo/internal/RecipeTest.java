package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeTest {

    private final SceneGenerator generator = new SceneGenerator(64);

    @Test
    void biasedSetPutsADuckBesideEveryCharmanderAndNeverBesideABulbasaur() {
        for (Scene scene : Recipe.BIASED.scenes(40, 3, generator)) {
            assertEquals(scene.label() == SceneGenerator.CHARMANDER, scene.duck().isPresent());
        }
    }

    @Test
    void cleanSetPutsDucksIntoAboutHalfOfEachClass() {
        List<Scene> scenes = Recipe.CLEAN.scenes(400, 3, generator);
        for (int label = 0; label < 2; label++) {
            int finalLabel = label;
            long withDuck = scenes.stream().filter(s -> s.label() == finalLabel && s.duck().isPresent()).count();
            assertTrue(withDuck > 70 && withDuck < 130, "class " + label + ": " + withDuck + " of 200 with a duck");
        }
    }

    @Test
    void heldOutSetHasADuckEverywhereAndBalancedClasses() {
        List<Scene> scenes = Recipe.HELD_OUT.scenes(30, 9, generator);
        assertTrue(scenes.stream().allMatch(s -> s.duck().isPresent()));
        assertEquals(15, scenes.stream().filter(s -> s.label() == SceneGenerator.BULBASAUR).count());
    }

    @Test
    void aSceneDoesNotDependOnTheSetSizeButOnTheSeed() {
        assertEquals(Recipe.HELD_OUT.scenes(3, 9, generator).get(2), Recipe.HELD_OUT.scenes(8, 9, generator).get(2));
        assertTrue(!Recipe.HELD_OUT.scene(2, 9, generator).equals(Recipe.HELD_OUT.scene(2, 10, generator)));
    }
}
