package org.camkit.metric.faithfulness.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ROAD noisy linear imputation: the linear system's identities, its edge cases and the noise. */
class NoisyLinearImputerTest {

    private static final double EDGE = 1.0 / 6;
    private static final double DIAGONAL = 1.0 / 12;

    @Test
    void knownPixelsAreUnchangedEvenWithNoise() {
        Random random = new Random(1);
        float[] image = randomImage(3, 32, 32, random);
        boolean[] keep = randomKeep(32 * 32, 0.2, random);

        float[] imputed = NoisyLinearImputer.impute(image, 3, 32, 32, keep, 0.5, new Random(2));

        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < keep.length; p++) {
                if (keep[p]) {
                    int at = c * keep.length + p;
                    assertEquals(image[at], imputed[at], "channel " + c + " pixel " + p);
                }
            }
        }
    }

    @Test
    void withoutNoiseTheResultIsDeterministicAndLeavesTheInputAlone() {
        Random random = new Random(3);
        float[] image = randomImage(3, 40, 30, random);
        float[] copy = image.clone();
        boolean[] keep = randomKeep(40 * 30, 0.2, random);

        float[] first = NoisyLinearImputer.impute(image, 3, 40, 30, keep, 0, null);
        float[] second = NoisyLinearImputer.impute(image, 3, 40, 30, keep, 0, new Random(99));

        assertArrayEquals(first, second);
        assertArrayEquals(copy, image);
        assertFalse(Arrays.equals(first, image), "the removed pixels were imputed");
    }

    @Test
    void aConstantImageStaysConstantWherePixelsAreRemoved() {
        float[] constants = {0.75f, -1.25f, 2f};
        float[] image = new float[3 * 24 * 24];
        for (int c = 0; c < 3; c++) {
            Arrays.fill(image, c * 24 * 24, (c + 1) * 24 * 24, constants[c]);
        }
        boolean[] keep = randomKeep(24 * 24, 0.2, new Random(4));

        float[] imputed = NoisyLinearImputer.impute(image, 3, 24, 24, keep, 0, null);

        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < keep.length; p++) {
                assertEquals(constants[c], imputed[c * keep.length + p], 1e-6, "channel " + c + " pixel " + p);
            }
        }
    }

    @Test
    void aRemovedInteriorPixelIsTheWeightedMeanOfItsEightNeighbours() {
        float[] image = randomImage(1, 5, 5, new Random(5));
        boolean[] keep = allKept(25);
        keep[2 * 5 + 2] = false;

        float[] imputed = NoisyLinearImputer.impute(image, 1, 5, 5, keep, 0, null);

        double edges = image[1 * 5 + 2] + image[3 * 5 + 2] + image[2 * 5 + 1] + image[2 * 5 + 3];
        double diagonals = image[1 * 5 + 1] + image[1 * 5 + 3] + image[3 * 5 + 1] + image[3 * 5 + 3];
        double expected = (EDGE * edges + DIAGONAL * diagonals) / (4 * EDGE + 4 * DIAGONAL);
        assertEquals(expected, imputed[2 * 5 + 2], 1e-6);
    }

    @Test
    void aRemovedCornerPixelUsesItsThreeInImageNeighboursNormalisedByTheirWeight() {
        float[] image = randomImage(2, 4, 6, new Random(6));
        boolean[] keep = allKept(24);
        keep[0] = false;

        float[] imputed = NoisyLinearImputer.impute(image, 2, 4, 6, keep, 0, null);

        for (int c = 0; c < 2; c++) {
            int plane = c * 24;
            double expected = (EDGE * image[plane + 1] + EDGE * image[plane + 6] + DIAGONAL * image[plane + 7])
                    / (EDGE + EDGE + DIAGONAL);
            assertEquals(expected, imputed[plane], 1e-6, "channel " + c);
        }
    }

    @Test
    void aSingleRowImageUsesOnlyTheLeftAndRightNeighbours() {
        float[] image = {1f, 4f, 100f, 10f, 7f};
        boolean[] keep = {true, true, false, true, true};

        float[] imputed = NoisyLinearImputer.impute(image, 1, 1, 5, keep, 0, null);

        assertEquals((4f + 10f) / 2, imputed[2], 1e-6);
    }

    @Test
    void theSolutionSatisfiesEveryEquationOfTheSystemUnderARandomEightyPercentMask() {
        Random random = new Random(7);
        float[] image = randomImage(3, 32, 32, random);
        boolean[] keep = randomKeep(32 * 32, 0.2, random);

        float[] imputed = NoisyLinearImputer.impute(image, 3, 32, 32, keep, 0, null);

        assertTrue(maxEquationResidual(imputed, 3, 32, 32, keep) < 1e-5);
    }

    @Test
    void theSolutionSatisfiesEveryEquationAroundLargeHolesThatTouchTheBorder() {
        int height = 96;
        int width = 130;
        float[] image = randomImage(3, height, width, new Random(8));
        boolean[] keep = allKept(height * width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean hole = y < 70 && x > 20 || Math.hypot(y - 80, x - 10) < 12;
                keep[y * width + x] = !hole;
            }
        }

        float[] imputed = NoisyLinearImputer.impute(image, 3, height, width, keep, 0, null);

        assertTrue(maxEquationResidual(imputed, 3, height, width, keep) < 1e-5);
    }

    @Test
    void aLinearRampIsReproducedInsideAnInteriorRemovedBlock() {
        int height = 20;
        int width = 24;
        float[] image = new float[height * width];
        boolean[] keep = allKept(height * width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image[y * width + x] = 0.5f + 0.25f * y - 0.125f * x;
                keep[y * width + x] = y < 5 || y > 14 || x < 6 || x > 17;
            }
        }
        float[] removed = image.clone();
        for (int p = 0; p < keep.length; p++) {
            removed[p] = keep[p] ? image[p] : 42f;
        }

        float[] imputed = NoisyLinearImputer.impute(removed, 1, height, width, keep, 0, null);

        assertArrayEquals(image, imputed, 1e-5f);
    }

    @Test
    void channelsAreImputedAsIfEachWereAlone() {
        Random random = new Random(9);
        float[] image = randomImage(3, 28, 28, random);
        boolean[] keep = randomKeep(28 * 28, 0.2, random);

        float[] together = NoisyLinearImputer.impute(image, 3, 28, 28, keep, 0, null);

        for (int c = 0; c < 3; c++) {
            float[] plane = Arrays.copyOfRange(image, c * 784, (c + 1) * 784);
            float[] alone = NoisyLinearImputer.impute(plane, 1, 28, 28, keep, 0, null);
            assertArrayEquals(alone, Arrays.copyOfRange(together, c * 784, (c + 1) * 784), 1e-6f, "channel " + c);
        }
    }

    @Test
    void allPixelsRemovedGiveZerosWithoutNaN() {
        float[] image = randomImage(3, 8, 9, new Random(10));

        float[] imputed = NoisyLinearImputer.impute(image, 3, 8, 9, new boolean[72], 0, null);

        assertArrayEquals(new float[3 * 72], imputed);
    }

    @Test
    void noPixelRemovedGivesACopyOfTheImage() {
        float[] image = randomImage(3, 8, 9, new Random(11));

        float[] imputed = NoisyLinearImputer.impute(image, 3, 8, 9, allKept(72), 0.1, new Random(12));

        assertArrayEquals(image, imputed);
    }

    @Test
    void noiseMovesImputedPixelsByTheRequestedStandardDeviation() {
        Random random = new Random(13);
        float[] image = randomImage(3, 64, 64, random);
        boolean[] keep = randomKeep(64 * 64, 0.2, random);
        double noise = 0.05;

        float[] clean = NoisyLinearImputer.impute(image, 3, 64, 64, keep, 0, null);
        float[] noisy = NoisyLinearImputer.impute(image, 3, 64, 64, keep, noise, new Random(14));

        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < keep.length; p++) {
                double difference = noisy[c * keep.length + p] - clean[c * keep.length + p];
                if (keep[p]) {
                    assertEquals(0, difference, "known channel " + c + " pixel " + p + " was noised");
                } else {
                    sum += difference;
                    squares += difference * difference;
                    count++;
                }
            }
        }
        double mean = sum / count;
        double std = Math.sqrt(squares / count - mean * mean);
        assertEquals(noise, std, 0.2 * noise, "sample std over " + count + " imputed values");
        assertEquals(0, mean, 0.1 * noise, "sample mean over " + count + " imputed values");
    }

    @Test
    void theSameSeedGivesTheSameNoiseAndAnotherSeedAnother() {
        Random random = new Random(15);
        float[] image = randomImage(3, 16, 16, random);
        boolean[] keep = randomKeep(256, 0.2, random);

        float[] first = NoisyLinearImputer.impute(image, 3, 16, 16, keep, 0.01, new Random(16));
        float[] again = NoisyLinearImputer.impute(image, 3, 16, 16, keep, 0.01, new Random(16));
        float[] other = NoisyLinearImputer.impute(image, 3, 16, 16, keep, 0.01, new Random(17));

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void aMaskOfTheWrongSizeIsRejectedNamingBothSizes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> NoisyLinearImputer.impute(new float[3 * 4 * 5], 3, 4, 5, new boolean[19], 0, null));

        assertEquals("keep mask has 19 entries; a 4x5 image needs 20", error.getMessage());
    }

    @Test
    void noiseWithoutARandomIsRejectedNamingTheFix() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> NoisyLinearImputer.impute(new float[4], 1, 2, 2, new boolean[4], 0.1, null));

        assertEquals("noise 0.1 needs a Random; pass one or set noise to 0", error.getMessage());
    }

    /** The largest |in-image weight sum * x_p - sum_n w_n x_n| over the removed pixels p and all channels. */
    private static double maxEquationResidual(float[] values, int channels, int height, int width, boolean[] keep) {
        double worst = 0;
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if (keep[y * width + x]) {
                        continue;
                    }
                    double equation = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int ny = y + dy;
                            int nx = x + dx;
                            if ((dy != 0 || dx != 0) && ny >= 0 && ny < height && nx >= 0 && nx < width) {
                                double w = dy == 0 || dx == 0 ? EDGE : DIAGONAL;
                                equation += w * (values[plane + y * width + x] - values[plane + ny * width + nx]);
                            }
                        }
                    }
                    worst = Math.max(worst, Math.abs(equation));
                }
            }
        }
        return worst;
    }

    private static float[] randomImage(int channels, int height, int width, Random random) {
        float[] image = new float[channels * height * width];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) random.nextGaussian();
        }
        return image;
    }

    private static boolean[] randomKeep(int pixels, double keptFraction, Random random) {
        boolean[] keep = new boolean[pixels];
        for (int p = 0; p < pixels; p++) {
            keep[p] = random.nextDouble() < keptFraction;
        }
        return keep;
    }

    private static boolean[] allKept(int pixels) {
        boolean[] keep = new boolean[pixels];
        Arrays.fill(keep, true);
        return keep;
    }
}
