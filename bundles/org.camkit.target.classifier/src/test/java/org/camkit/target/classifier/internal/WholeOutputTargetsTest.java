package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

class WholeOutputTargetsTest {

    private static final float[] OUTPUT = {0.5f, 2.5f, -1f};

    @Test
    void scoresSumsTheRawOutputsWithASeedOfOnes() {
        TargetScore score = new ScoresTarget().resolve(new TargetRequest("", OUTPUT, MODEL));
        assertEquals(2.0f, score.score());
        assertArrayEquals(new float[] {1, 1, 1}, score.seed());
        assertEquals(-1, score.classIndex());
        assertEquals("sum of the 3 raw outputs", score.description());
    }

    @Test
    void scoresSeedEqualsTheFiniteDifferenceGradient() {
        ScoresTarget target = new ScoresTarget();
        double[] numeric = Outputs.numericGradient(o -> Outputs.score(target, "", o), OUTPUT, 1e-2f);
        for (double g : numeric) {
            assertEquals(1, g, 1e-4);
        }
    }

    @Test
    void softmaxVectorScoresOneWithAZeroSeed() {
        // softmax([0, ln 3, 0]) = [1/5, 3/5, 1/5]: the sum is 1, its derivative p_i (1 - sum p) is 0
        TargetScore score = new SoftmaxVectorTarget().resolve(
                new TargetRequest("", new float[] {0, (float) Math.log(3), 0}, MODEL));
        assertEquals(1f, score.score(), 1e-7f);
        assertArrayEquals(new float[3], score.seed());
        assertEquals(-1, score.classIndex());
        assertTrue(score.description().contains("zero gradient"), score.description());
    }

    @Test
    void softmaxVectorIsOnePerRowOfTheLastAxisAndNeverOverflows() {
        // a [2, 3] output (e.g. two rows of scores): softmax over the last axis, one per row, sum 2
        float[] output = {1000, 1001, 999, -5, 0, 5};
        TargetScore score = new SoftmaxVectorTarget().resolve(new TargetRequest("", output, MODEL, null,
                new int[] {2, 3}));
        assertEquals(2f, score.score(), 1e-6f);
        assertArrayEquals(new float[6], score.seed());
    }

    @Test
    void softmaxVectorsFiniteDifferenceGradientIsZeroToo() {
        SoftmaxVectorTarget target = new SoftmaxVectorTarget();
        double[] numeric = Outputs.numericGradient(o -> Outputs.score(target, "", o), OUTPUT, 1e-2f);
        for (double g : numeric) {
            assertEquals(0, g, 1e-4);
        }
    }

    @Test
    void wholeOutputTargetsRejectAnArgumentAndNameTheClassTarget() {
        for (TargetResolver target : new TargetResolver[] {new ScoresTarget(), new SoftmaxVectorTarget()}) {
            CamException e = assertThrows(CamException.class,
                    () -> target.resolve(new TargetRequest("1", OUTPUT, MODEL)));
            assertTrue(e.getMessage().contains("takes no argument") && e.getMessage().contains("class:<index or label>"),
                    e.getMessage());
        }
    }

    @Test
    void theListingWarnsThatSoftmaxVectorGivesFlatMaps() {
        String description = new SoftmaxVectorTarget().description();
        assertTrue(description.startsWith("softmax-vector: ") && description.contains("WARNING")
                && description.contains("gradient is zero"), description);
    }

    @Test
    void everyTargetOfTheBundleDescribesItselfStartingWithItsForm() {
        java.util.Map<String, TargetResolver> targets = java.util.Map.of("class", new ClassTarget(), "predicted",
                new PredictedTarget(), "softmax", new SoftmaxTarget(), "rest", new RestTarget(), "binary",
                new BinaryTarget(), "finer", new FinerTarget(), "scores", new ScoresTarget(), "softmax-vector",
                new SoftmaxVectorTarget(), "similarity", new SimilarityTarget(), "difference", new DifferenceTarget());
        targets.forEach((name, target) -> assertTrue(target.description().startsWith(name)
                && target.description().length() > name.length() + 20, name + ": " + target.description()));
    }
}
