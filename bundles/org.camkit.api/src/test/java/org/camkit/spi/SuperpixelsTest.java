package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.camkit.api.RgbImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** SLIC on generated images: about as many segments as asked, each 4-connected, labels 0..M-1, deterministic. */
class SuperpixelsTest {

    /** Coloured discs and stripes over a gradient, with noise: edges SLIC should follow, and texture. */
    private static float[] scene(int height, int width, long seed) {
        Random random = new Random(seed);
        int pixels = height * width;
        float[] rgb = new float[3 * pixels];
        double[][] discs = new double[6][];
        for (int d = 0; d < discs.length; d++) {
            discs[d] = new double[] {random.nextDouble() * width, random.nextDouble() * height,
                    (0.1 + 0.25 * random.nextDouble()) * Math.min(width, height), random.nextDouble(),
                    random.nextDouble(), random.nextDouble()};
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double[] c = {(double) x / width, (double) y / height, ((x / 7 + y / 5) % 2) * 0.08};
                for (double[] disc : discs) {
                    if (Math.hypot(x - disc[0], y - disc[1]) < disc[2]) {
                        c = new double[] {disc[3], disc[4], disc[5]};
                    }
                }
                for (int b = 0; b < 3; b++) {
                    rgb[b * pixels + y * width + x] = (float) (c[b] + 0.02 * random.nextGaussian());
                }
            }
        }
        return rgb;
    }

    @ParameterizedTest
    @CsvSource({"224, 224, 50", "224, 224, 200", "100, 60, 20", "64, 64, 100", "31, 47, 10", "48, 160, 30",
            "16, 20, 12"})
    void segmentCountIsNearTheRequestAndEverySegmentIs4Connected(int height, int width, int segments) {
        Superpixels sp = Superpixels.slic(scene(height, width, height * 31L + width), height, width, segments);
        int m = sp.count();
        int expected = Math.min(segments, height * width);
        assertTrue(m >= 0.7 * expected && m <= 1.3 * expected, m + " segments for " + segments + " asked on "
                + width + "x" + height);
        int[] labels = sp.labels();
        int[] sizes = new int[m];
        for (int l : labels) {
            assertTrue(l >= 0 && l < m, "label " + l + " outside 0.." + (m - 1));
            sizes[l]++;
        }
        for (int l = 0; l < m; l++) {
            assertTrue(sizes[l] > 0, "label " + l + " is unused");
            assertEquals(sizes[l], reachable(labels, width, height, l), "segment " + l + " is not 4-connected");
        }
        int[][] members = sp.members();
        for (int l = 0; l < m; l++) {
            assertEquals(sizes[l], members[l].length);
        }
    }

    @Test
    void theSameImageGivesTheSameLabelsAndAnRgbImageTheSameAsItsPlanes() {
        int height = 40;
        int width = 50;
        float[] planes = scene(height, width, 3);
        byte[] bytes = new byte[3 * height * width];
        for (int p = 0; p < height * width; p++) {
            for (int c = 0; c < 3; c++) {
                int v = Math.round(Math.max(0, Math.min(1, planes[c * height * width + p])) * 255);
                bytes[3 * p + c] = (byte) v;
                planes[c * height * width + p] = v / 255f;
            }
        }
        Superpixels once = Superpixels.slic(planes, height, width, 25);
        assertArrayEquals(once.labels(), Superpixels.slic(planes, height, width, 25).labels());
        assertArrayEquals(once.labels(), Superpixels.slic(new RgbImage(width, height, bytes), 25).labels());
    }

    @Test
    void segmentsFollowAColourEdge() {
        // left half red, right half blue: no segment straddles the edge
        int height = 32;
        int width = 32;
        float[] rgb = new float[3 * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[(x < 13 ? 0 : 2) * height * width + y * width + x] = 1;
            }
        }
        Superpixels sp = Superpixels.slic(rgb, height, width, 16);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int x2 = 0; x2 < width; x2++) {
                    if (sp.label(y * width + x) == sp.label(y * width + x2)) {
                        assertEquals(x < 13, x2 < 13, "segment " + sp.label(y * width + x) + " crosses the edge");
                    }
                }
            }
        }
    }

    @Test
    void givenLabelsMustBeDenseAndMatchTheSize() {
        assertEquals(2, Superpixels.of(2, 1, new int[] {1, 0}).count());
        assertThrows(IllegalArgumentException.class, () -> Superpixels.of(2, 1, new int[] {0, 2}));
        assertThrows(IllegalArgumentException.class, () -> Superpixels.of(3, 1, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Superpixels.slic(new float[12], 2, 2, 0));
    }

    /** @return how many pixels of {@code label} a 4-connected flood fill from its first pixel reaches */
    private static int reachable(int[] labels, int width, int height, int label) {
        int start = 0;
        while (labels[start] != label) {
            start++;
        }
        boolean[] seen = new boolean[labels.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        seen[start] = true;
        int count = 0;
        while (!queue.isEmpty()) {
            int p = queue.poll();
            count++;
            int x = p % width;
            int y = p / width;
            int[][] next = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
            for (int[] q : next) {
                if (q[0] >= 0 && q[0] < width && q[1] >= 0 && q[1] < height) {
                    int i = q[1] * width + q[0];
                    if (!seen[i] && labels[i] == label) {
                        seen[i] = true;
                        queue.add(i);
                    }
                }
            }
        }
        return count;
    }
}
