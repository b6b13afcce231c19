package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.camkit.api.CamException;
import org.camkit.api.GroundTruth;
import org.camkit.api.GroundTruth.Region;
import org.camkit.spi.TruthRegion;
import org.junit.jupiter.api.Test;

class RegionsTest {

    /** @return the region's pixels as rows of {@code #} (the object's) and {@code .} */
    private static String drawn(TruthRegion region) {
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < region.height(); y++) {
            for (int x = 0; x < region.width(); x++) {
                out.append(region.contains(x, y) ? '#' : '.');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static TruthRegion only(GroundTruth truth, int imageWidth, int imageHeight, int mapWidth,
            int mapHeight) {
        List<TruthRegion> regions = Regions.rasterise(truth, "a.png", imageWidth, imageHeight, mapWidth, mapHeight);
        assertEquals(1, regions.size());
        return regions.get(0);
    }

    @Test
    void aBoxScalesOnEachAxisToTheMapsPixelsItTouches() {
        // 640x480 to 224x224: sx = 0.35, sy = 224 / 480
        GroundTruth truth = new GroundTruth(640, 480, List.of(Region.box("cat", 100, 60, 200, 120),
                Region.box("dog", 10.2, 5, 20, 10), Region.box("bird", 180, 5, 20, 10)));
        List<TruthRegion> regions = Regions.rasterise(truth, "a.png", 640, 480, 224, 224);
        TruthRegion cat = regions.get(0);
        assertEquals("cat", cat.label());
        // x: 100 * 0.35 = 35 .. 300 * 0.35 = 105; y: 60 * 224/480 = 28 .. 180 * 224/480 = 84
        assertEquals(List.of(35, 28, 105, 84), List.of(cat.x0(), cat.y0(), cat.x1(), cat.y1()));
        assertEquals(224 * 224, cat.pixels().length);
        int inside = 0;
        for (boolean p : cat.pixels()) {
            inside += p ? 1 : 0;
        }
        assertEquals(70 * 56, inside, "a box without polygons or mask is its pixels");
        assertTrue(cat.contains(35, 28));
        assertFalse(cat.contains(105, 28));
        assertFalse(cat.contains(35, 84));
        TruthRegion dog = regions.get(1);
        // x: floor(3.57) = 3 .. ceil(10.57) = 11; y: floor(2.33) = 2 .. ceil(7.0) = 7
        assertEquals(List.of(3, 2, 11, 7), List.of(dog.x0(), dog.y0(), dog.x1(), dog.y1()));
        TruthRegion bird = regions.get(2);
        // 180 * (224 / 640.0) is 62.99999999999999 in doubles: still column 63
        assertEquals(List.of(63, 2, 70, 7), List.of(bird.x0(), bird.y0(), bird.x1(), bird.y1()));
    }

    @Test
    void aBoxReachingPastTheImageIsClampedToTheGrid() {
        TruthRegion r = only(new GroundTruth(0, 0, List.of(Region.box("", -1, 9.5, 4, 1.5))), 10, 10, 5, 5);
        assertEquals(List.of(0, 4, 2, 5), List.of(r.x0(), r.y0(), r.x1(), r.y1()));
    }

    @Test
    void aTriangleFillsTheMapPixelsWhoseCentresItHolds() {
        // image 16x16 to map 8x8: the triangle (0,0) (16,0) (0,16) holds map centre (c+0.5, r+0.5)*2 when
        // c + r + 1 < 8: 7 + 6 + ... + 1 = 28 pixels, counted by hand below
        double[] triangle = {0, 0, 16, 0, 0, 16};
        TruthRegion r = only(new GroundTruth(16, 16, List.of(new Region("roof", 0, 0, 16, 16, List.of(triangle),
                null))), 16, 16, 8, 8);
        assertEquals("""
                #######.
                ######..
                #####...
                ####....
                ###.....
                ##......
                #.......
                ........
                """, drawn(r));
        assertEquals(List.of(0, 0, 8, 8), List.of(r.x0(), r.y0(), r.x1(), r.y1()));
    }

    @Test
    void allTheRegionsPolygonsAreFilled() {
        double[] left = {0, 0, 2, 0, 2, 2, 0, 2};
        double[] right = {4, 2, 6, 2, 6, 4, 4, 4};
        TruthRegion r = only(new GroundTruth(6, 4, List.of(new Region("", 0, 0, 6, 4, List.of(left, right),
                null))), 6, 4, 6, 4);
        assertEquals("""
                ##....
                ##....
                ....##
                ....##
                """, drawn(r));
    }

    @Test
    void aMaskIsResampledByNearestNeighbourOnEachAxis() {
        // image 6x4 to map 3x4: sx = 0.5, sy = 1; map (c, r) takes image pixel (2c + 1, r)
        String image = """
                .#....
                ##.#..
                ....#.
                .....#
                """;
        boolean[] mask = new boolean[24];
        String rows = image.replace("\n", "");
        for (int i = 0; i < 24; i++) {
            mask[i] = rows.charAt(i) == '#';
        }
        TruthRegion r = only(new GroundTruth(6, 4, List.of(new Region("", 0, 0, 6, 4, List.of(), mask))), 6, 4, 3,
                4);
        assertEquals("""
                #..
                ##.
                ...
                ..#
                """, drawn(r));
    }

    @Test
    void annotationsMadeOnAnotherImageSizeAreRefusedNamingTheImage() {
        GroundTruth truth = new GroundTruth(640, 480, List.of(Region.box("cat", 1, 1, 10, 10)));
        CamException e = assertThrows(CamException.class,
                () -> Regions.rasterise(truth, "photos/cat.jpg", 320, 240, 224, 224));
        assertEquals("annotations of photos/cat.jpg are for a 640x480 image, the file is 320x240",
                e.getMessage().substring(0, e.getMessage().indexOf(';')));
    }

    @Test
    void aPolygonTooSmallToHoldAPixelCentreGetsThePixelHoldingItsCentroid() {
        // image 100x100 to map 10x10: map centres sit at 5, 15, ..., 95; the triangle near (41, 41) holds none
        double[] tiny = {41, 41, 42, 41, 41, 42};
        TruthRegion r = only(new GroundTruth(100, 100, List.of(new Region("ant", 41, 41, 1, 1, List.of(tiny),
                null))), 100, 100, 10, 10);
        int marked = 0;
        for (boolean p : r.pixels()) {
            marked += p ? 1 : 0;
        }
        assertEquals(1, marked);
        assertTrue(r.contains(4, 4));
        assertEquals(List.of(4, 4, 5, 5), List.of(r.x0(), r.y0(), r.x1(), r.y1()));
    }

    @Test
    void anImageWithoutRegionsGivesNone() {
        assertEquals(List.of(), Regions.rasterise(GroundTruth.NONE, "a.png", 10, 10, 5, 5));
    }
}
