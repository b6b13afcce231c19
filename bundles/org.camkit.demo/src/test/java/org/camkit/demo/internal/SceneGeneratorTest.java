package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {

    @Test
    void sameSeedGivesSamePixelsAndBoxes() {
        Scene a = new SceneGenerator(96).scene(1234, SceneGenerator.BULBASAUR, true);
        Scene b = new SceneGenerator(96).scene(1234, SceneGenerator.BULBASAUR, true);
        assertEquals(a, b);
    }

    @Test
    void differentSeedsGiveDifferentPictures() {
        SceneGenerator generator = new SceneGenerator(96);
        assertFalse(generator.scene(1, 0, true).image().equals(generator.scene(2, 0, true).image()));
    }

    @Test
    void boxesLieInsideTheImageAndKeepTheGapBetweenDuckAndCreature() {
        for (int size : new int[] {64, 112, 160}) {
            SceneGenerator generator = new SceneGenerator(size);
            for (int seed = 0; seed < 60; seed++) {
                Scene scene = generator.scene(seed, seed % 2, true);
                assertEquals(size, scene.image().width());
                assertEquals(size, scene.image().height());
                assertTrue(scene.creature().inside(size), "creature box " + scene.creature());
                Box duck = scene.duck().orElseThrow();
                assertTrue(duck.inside(size), "duck box " + duck);
                assertFalse(duck.intersects(scene.creature().grow(generator.gap() - 1)),
                        "duck " + duck + " too close to creature " + scene.creature() + " at size " + size);
            }
        }
    }

    @Test
    void theDuckChangesOnlyPixelsAroundItsBox() {
        SceneGenerator generator = new SceneGenerator(112);
        for (int seed = 0; seed < 10; seed++) {
            Scene with = generator.scene(seed, SceneGenerator.CHARMANDER, true);
            Scene without = generator.scene(seed, SceneGenerator.CHARMANDER, false);
            assertEquals(with.creature(), without.creature());
            assertTrue(without.duck().isEmpty());
            Box near = with.duck().orElseThrow().grow(1);
            byte[] a = with.image().rgb();
            byte[] b = without.image().rgb();
            int changedInside = 0;
            for (int p = 0; p < 112 * 112; p++) {
                boolean changed = a[3 * p] != b[3 * p] || a[3 * p + 1] != b[3 * p + 1] || a[3 * p + 2] != b[3 * p + 2];
                if (changed) {
                    assertTrue(near.contains(p % 112, p / 112), "pixel " + p + " changed outside " + near);
                    changedInside++;
                }
            }
            assertTrue(changedInside > near.width() * near.height() / 4, "the duck must be visible");
        }
    }

    @Test
    void theDuckIsTheOnlyStrongYellowInTheScene() {
        SceneGenerator generator = new SceneGenerator(112);
        for (int seed = 0; seed < 20; seed++) {
            Scene scene = generator.scene(seed, seed % 2, true);
            Box duck = scene.duck().orElseThrow();
            byte[] rgb = scene.image().rgb();
            int yellowInDuck = 0;
            int yellowElsewhere = 0;
            for (int p = 0; p < 112 * 112; p++) {
                float[] hsb = Color.RGBtoHSB(rgb[3 * p] & 0xFF, rgb[3 * p + 1] & 0xFF, rgb[3 * p + 2] & 0xFF, null);
                if (hsb[0] > 0.12f && hsb[0] < 0.19f && hsb[1] > 0.6f && hsb[2] > 0.6f) {
                    if (duck.contains(p % 112, p / 112)) {
                        yellowInDuck++;
                    } else {
                        yellowElsewhere++;
                    }
                }
            }
            assertTrue(yellowInDuck > 5 * Math.max(1, yellowElsewhere),
                    "seed " + seed + ": " + yellowInDuck + " yellow pixels in the duck, " + yellowElsewhere + " outside");
        }
    }

    @Test
    void rejectsUnknownLabelsAndTinySizes() {
        assertThrows(IllegalArgumentException.class, () -> new SceneGenerator(32));
        assertThrows(IllegalArgumentException.class, () -> new SceneGenerator(96).scene(1, 2, true));
    }

    @Test
    void imagesRoundTripThroughAwt() {
        Scene scene = new SceneGenerator(64).scene(5, 1, false);
        assertArrayEquals(scene.image().rgb(), Images.fromBuffered(Images.toBuffered(scene.image())).rgb());
    }
}
