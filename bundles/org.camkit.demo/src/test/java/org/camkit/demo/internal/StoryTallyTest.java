package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class StoryTallyTest {

    private static final int W = 40;
    private static final Box CREATURE = new Box(2, 2, 16, 16);
    private static final Box DUCK = new Box(28, 28, 8, 8);

    private static Scene scene(int label) {
        return new Scene(new RgbImage(W, W, new byte[W * W * 3]), label, CREATURE, Optional.of(DUCK));
    }

    private static float[] peakAt(int x, int y) {
        float[] cam = new float[W * W];
        cam[y * W + x] = 1f;
        return cam;
    }

    @Test
    void locatesThePeakInTheDuckTheCreatureOrElsewhere() {
        assertEquals(StoryTally.Peak.DUCK, StoryTally.peak(peakAt(30, 31), W, scene(0), 0));
        assertEquals(StoryTally.Peak.CREATURE, StoryTally.peak(peakAt(2, 17), W, scene(0), 0));
        assertEquals(StoryTally.Peak.ELSEWHERE, StoryTally.peak(peakAt(39, 0), W, scene(0), 0));
    }

    @Test
    void aMarginLetsPeaksJustOutsideABoxCount() {
        assertEquals(StoryTally.Peak.ELSEWHERE, StoryTally.peak(peakAt(26, 30), W, scene(0), 0));
        assertEquals(StoryTally.Peak.DUCK, StoryTally.peak(peakAt(26, 30), W, scene(0), 2));
        assertEquals(StoryTally.Peak.CREATURE, StoryTally.peak(peakAt(19, 10), W, scene(0), 2));
        assertEquals(StoryTally.Peak.ELSEWHERE, StoryTally.peak(peakAt(20, 20), W, scene(0), 2));
    }

    @Test
    void aPeakBetweenTwoBoxesCountsForTheNearerOne() {
        assertEquals(StoryTally.Peak.CREATURE, StoryTally.peak(peakAt(21, 21), W, scene(0), 20));
        assertEquals(StoryTally.Peak.DUCK, StoryTally.peak(peakAt(25, 25), W, scene(0), 20));
    }

    @Test
    void meanInsideAveragesOnlyTheBoxAndClipsToTheMap() {
        float[] cam = new float[W * W];
        for (int y = 28; y < 32; y++) {
            for (int x = 28; x < 36; x++) {
                cam[y * W + x] = 1f;
            }
        }
        assertEquals(0.5, StoryTally.meanInside(cam, W, DUCK), 1e-9);
        assertEquals(0.0, StoryTally.meanInside(cam, W, CREATURE), 1e-9);
        assertEquals(8.0 / 12, StoryTally.meanInside(cam, W, new Box(28, 28, 20, 4)), 1e-9);
        assertEquals(0.0, StoryTally.meanInside(cam, W, new Box(50, 50, 4, 4)), 1e-9);
    }

    @Test
    void figuresCountAccuracyPerClassAndPeakShares() {
        StoryTally tally = new StoryTally(0);
        tally.add(scene(0), 0, peakAt(30, 30), W);
        tally.add(scene(0), 0, peakAt(5, 5), W);
        tally.add(scene(1), 0, peakAt(30, 30), W);
        tally.add(scene(1), 1, peakAt(39, 0), W);
        StoryTally.Figures f = tally.figures();
        assertEquals(4, f.images());
        assertEquals(0.75, f.accuracy(), 1e-9);
        assertEquals(1.0, f.accuracyClass0(), 1e-9);
        assertEquals(0.5, f.accuracyClass1(), 1e-9);
        assertEquals(0.5, f.duckPeak(), 1e-9);
        assertEquals(0.25, f.creaturePeak(), 1e-9);
        assertEquals(0.25, f.elsewherePeak(), 1e-9);
        assertEquals(0.5 / 64, f.duckMeanCam(), 1e-9);
        assertEquals(0.25 / 256, f.creatureMeanCam(), 1e-9);
    }

    @Test
    void argmaxTakesTheFirstOfEqualMaxima() {
        assertEquals(1, StoryTally.argmax(new float[] {0f, 2f, 2f, 1f}));
    }
}
