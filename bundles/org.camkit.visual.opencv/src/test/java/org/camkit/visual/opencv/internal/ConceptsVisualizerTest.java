package org.camkit.visual.opencv.internal;

import static org.camkit.visual.opencv.internal.Requests.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Concept;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConceptsVisualizerTest {
    private static final int SIZE = 40;
    private static ConceptsVisualizer concepts;

    @BeforeAll
    static void activate() {
        concepts = new ConceptsVisualizer();
    }

    @Test
    void eachPixelTakesTheColourOfItsDominantConceptBlendedWithTheImage() {
        // concept 0 fills the left half, concept 1 the right half, both at value 1; the image is black
        List<Concept> two = List.of(new Concept("duck 0.91", halves(1f, 0f)),
                new Concept("grass 0.80", halves(0f, 1f)));

        RgbImage out = concepts.render(Requests.concepts(Requests.filled(SIZE, SIZE, 0, 0, 0), two, Map.of()));

        ConceptColours colours = new ConceptColours(2);
        // default image-weight 0.3: np.uint8(255 * (0 * 0.3 + colour / 255 * 0.7))
        assertClose(scaled(colours.colour(0), 0.7), pixel(out, 5, 20));
        assertClose(scaled(colours.colour(1), 0.7), pixel(out, SIZE - 5, 20));
        assertFalse(Arrays.equals(pixel(out, 5, 20), pixel(out, SIZE - 5, 20)));
    }

    @Test
    void conceptsAreComparedAfterEachIsNormalisedToItsOwnRange() {
        // at pixel 1 concept 0 is larger in raw value (0.6 > 0.2) but concept 1 is at its maximum there
        float[] a = new float[4];
        float[] b = new float[4];
        a[0] = 1f;
        a[1] = 0.6f;
        b[1] = 0.2f;
        b[2] = 0.2f;

        RgbImage out = concepts.render(Requests.concepts(Requests.filled(4, 1, 0, 0, 0),
                List.of(new Concept("a", a), new Concept("b", b)), Map.of("image-weight", "0")));

        ConceptColours colours = new ConceptColours(2);
        assertClose(colours.colour(0), pixel(out, 0, 0));
        assertClose(colours.colour(1), pixel(out, 1, 0));
        assertArrayEquals(new int[] {0, 0, 0}, pixel(out, 3, 0), "no concept anywhere: black");
    }

    @Test
    void brightnessFollowsTheConceptsValueAndImageWeightMixesInTheImage() {
        float[] map = {0f, 0.5f, 1f};

        RgbImage out = concepts.render(Requests.concepts(Requests.filled(3, 1, 200, 100, 0),
                List.of(new Concept("only", map)), Map.of("image-weight", "0.5")));

        int[] red = new ConceptColours(1).colour(0);
        assertArrayEquals(new int[] {255, 0, 0}, red, "a single concept is red");
        // 255 * (200/255 * 0.5 + shade/255 * 0.5), shade = 0, 127 and 255 in red
        assertClose(new int[] {100, 50, 0}, pixel(out, 0, 0));
        assertClose(new int[] {163, 50, 0}, pixel(out, 1, 0));
        assertClose(new int[] {227, 50, 0}, pixel(out, 2, 0));
    }

    @Test
    void legendBesideTheImageHasEachConceptsSwatchAndText() {
        List<Concept> three = List.of(new Concept("duck 0.91, charmander 0.05", halves(1f, 0f)),
                new Concept("grass 0.80", halves(0f, 1f)), new Concept("sky 0.40", halves(0.5f, 0.5f)));

        RgbImage out = concepts.render(Requests.concepts(Requests.filled(SIZE, SIZE, 0, 0, 0), three, Map.of()));

        assertEquals(SIZE + ConceptsVisualizer.MIN_LEGEND_WIDTH, out.width());
        assertTrue(out.height() >= SIZE);
        ConceptColours colours = new ConceptColours(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(legendHas(out, colours.colour(i)), "swatch of concept " + i);
        }
        assertTrue(legendHas(out, new int[] {20, 20, 20}), "legend text is drawn");
    }

    @Test
    void resultWithoutConceptsIsRefusedNamingTheFactorisationMethod() {
        CamException e = assertThrows(CamException.class,
                () -> concepts.render(Requests.request(Requests.filled(2, 2, 0, 0, 0), new float[4], Map.of())));

        assertTrue(e.getMessage().contains("concepts") && e.getMessage().contains("dff"), e.getMessage());
    }

    @Test
    void conceptMapOfAnotherSizeIsRefused() {
        CamException e = assertThrows(CamException.class, () -> concepts.render(Requests.concepts(
                Requests.filled(2, 2, 0, 0, 0), List.of(new Concept("x", new float[3])), Map.of())));

        assertTrue(e.getMessage().contains("concept 0") && e.getMessage().contains("2x2"), e.getMessage());
    }

    private static float[] halves(float left, float right) {
        float[] map = new float[SIZE * SIZE];
        for (int p = 0; p < map.length; p++) {
            map[p] = p % SIZE < SIZE / 2 ? left : right;
        }
        return map;
    }

    private static boolean legendHas(RgbImage out, int[] rgb) {
        for (int y = 0; y < out.height(); y++) {
            for (int x = SIZE; x < out.width(); x++) {
                if (Arrays.equals(rgb, pixel(out, x, y))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] scaled(int[] rgb, double factor) {
        return new int[] {(int) (rgb[0] * factor), (int) (rgb[1] * factor), (int) (rgb[2] * factor)};
    }

    private static void assertClose(int[] expected, int[] actual) {
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(expected[c] - actual[c]) <= 1,
                    "expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
        }
    }
}
