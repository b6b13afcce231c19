package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

class RestTargetTest {

    @Test
    void scoresTheLogitMinusTheCrossEntropy() {
        // y = [0, ln 3, 0]: p = [1/5, 3/5, 1/5]; cross_entropy(y, 1) = -ln(3/5); score = ln 3 + ln(3/5)
        float ln3 = (float) Math.log(3);
        TargetScore score = new RestTarget().resolve(new TargetRequest("1", new float[] {0, ln3, 0}, MODEL));
        assertEquals(Math.log(3) + Math.log(0.6), score.score(), 1e-6);
        float[] seed = score.seed();
        assertEquals(-0.2f, seed[0], 1e-6f);
        assertEquals(1.4f, seed[1], 1e-6f); // 2 - 3/5
        assertEquals(-0.2f, seed[2], 1e-6f);
        assertEquals("ReST of class 1 (dog)", score.description());
    }

    @Test
    void scoreAndSeedAgreeWithFiniteDifferences() {
        float[] output = {1.5f, -0.4f, 0.9f};
        RestTarget target = new RestTarget();
        for (int c = 0; c < output.length; c++) {
            String argument = String.valueOf(c);
            float[] seed = target.resolve(new TargetRequest(argument, output, MODEL)).seed();
            double[] numeric = Outputs.numericGradient(o -> Outputs.score(target, argument, o), output, 1e-2f);
            for (int i = 0; i < output.length; i++) {
                assertEquals(numeric[i], seed[i], 5e-4, "d rest_" + c + " / d y_" + i);
            }
        }
    }

    @Test
    void aClassFarBelowTheOthersKeepsAFiniteScore() {
        // p_0 = exp(-800) / (1 + exp(-800)) underflows to 0 even in double: log p_0 must still be -800
        TargetScore score = new RestTarget().resolve(new TargetRequest("0", new float[] {0, 800}, MODEL));
        assertEquals(-800f, score.score(), 1e-3f);
        assertEquals(2f, score.seed()[0], 1e-6f);
        assertEquals(-1f, score.seed()[1], 1e-6f);
    }
}
