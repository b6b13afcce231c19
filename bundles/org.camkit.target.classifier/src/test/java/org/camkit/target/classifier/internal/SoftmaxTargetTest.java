package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

class SoftmaxTargetTest {

    private static final float LN3 = (float) Math.log(3);

    @Test
    void scoresTheClassProbabilityWithSeedPcTimesOneHotMinusP() {
        // softmax([0, ln 3, 0]) = [1/5, 3/5, 1/5]; seed for class 1 = 3/5 * ([0, 1, 0] - p)
        TargetScore score = new SoftmaxTarget().resolve(new TargetRequest("dog", new float[] {0, LN3, 0}, MODEL));
        assertEquals(1, score.classIndex());
        assertEquals(0.6f, score.score(), 1e-6f);
        float[] seed = score.seed();
        assertEquals(-0.12f, seed[0], 1e-6f);
        assertEquals(0.24f, seed[1], 1e-6f);
        assertEquals(-0.12f, seed[2], 1e-6f);
        assertEquals("softmax of class 1 (dog)", score.description());
    }

    @Test
    void seedEqualsTheFiniteDifferenceGradientOfTheScore() {
        float[] output = {0.3f, -1.2f, 2.1f};
        SoftmaxTarget target = new SoftmaxTarget();
        for (int c = 0; c < output.length; c++) {
            String argument = String.valueOf(c);
            float[] seed = target.resolve(new TargetRequest(argument, output, MODEL)).seed();
            double[] numeric = Outputs.numericGradient(o -> Outputs.score(target, argument, o), output, 1e-2f);
            for (int i = 0; i < output.length; i++) {
                assertEquals(numeric[i], seed[i], 2e-4, "d p_" + c + " / d y_" + i);
            }
        }
    }

    @Test
    void largeLogitsDoNotOverflow() {
        // exp(1000) overflows a double: only a softmax that subtracts the maximum gives [1/5, 3/5, 1/5] here
        TargetScore score = new SoftmaxTarget().resolve(
                new TargetRequest("1", new float[] {1000, 1000 + LN3, 1000}, MODEL));
        assertEquals(0.6f, score.score(), 1e-4f);
        assertEquals(0.24f, score.seed()[1], 1e-4f);
    }
}
