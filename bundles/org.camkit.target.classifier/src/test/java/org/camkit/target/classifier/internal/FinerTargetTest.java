package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;

class FinerTargetTest {

    private static final float[] OUTPUT = {2.0f, 1.5f, -1.0f, 0.5f, 1.9f};

    @Test
    void theRivalsAreTheThreeClassesClosestToTheMainOne() {
        assertArrayEquals(new int[] {4, 1, 3}, FinerTarget.rivals(OUTPUT, 0));
        assertArrayEquals(new int[] {4, 0, 3}, FinerTarget.rivals(OUTPUT, 1)); // distances 0.4, 0.5, 1.0
    }

    @Test
    void theScoreIsTheProbabilityWeightedMarginOverTheRivals() {
        double[] p = ClassScores.softmax(OUTPUT);
        double numerator = 0;
        double denominator = 1e-9;
        for (int j : new int[] {4, 1, 3}) {
            numerator += p[j] * (OUTPUT[0] - 0.5 * OUTPUT[j]);
            denominator += p[j];
        }
        TargetScore score = new FinerTarget().resolve(new TargetRequest("0:0.5", OUTPUT, MODEL));
        assertEquals(numerator / denominator, score.score(), 1e-6);
        assertEquals(0, score.classIndex());
        // no argument: the predicted class, alpha 1
        TargetScore predicted = new FinerTarget().resolve(new TargetRequest("", OUTPUT, MODEL));
        assertEquals(0, predicted.classIndex());
    }

    @Test
    void theSeedIsTheDerivativeWithTheSoftmaxWeightsIncluded() {
        FinerTarget target = new FinerTarget();
        for (String argument : new String[] {"0", "1:2", "3:0.5"}) {
            float[] seed = target.resolve(new TargetRequest(argument, OUTPUT, MODEL, OUTPUT)).seed();
            for (int k = 0; k < OUTPUT.length; k++) {
                float[] up = OUTPUT.clone();
                float[] down = OUTPUT.clone();
                up[k] += 1e-2f;
                down[k] -= 1e-2f;
                // the rivals stay those of the unperturbed output, as in a perturbed pass
                double numeric = (target.resolve(new TargetRequest(argument, up, MODEL, OUTPUT)).score()
                        - target.resolve(new TargetRequest(argument, down, MODEL, OUTPUT)).score()) / 2e-2;
                assertEquals(numeric, seed[k], 5e-4, "d finer:" + argument + " / d y_" + k);
            }
        }
    }

    @Test
    void aMalformedAlphaOrArgumentNamesTheForm() {
        assertThrows(CamException.class, () -> new FinerTarget().resolve(new TargetRequest("0:x", OUTPUT, MODEL)));
        assertThrows(CamException.class, () -> new FinerTarget().resolve(new TargetRequest("0:1:2", OUTPUT, MODEL)));
    }
}
