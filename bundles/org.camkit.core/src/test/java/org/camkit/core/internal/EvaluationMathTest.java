package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.Evaluation;
import org.camkit.spi.MetricValues;
import org.junit.jupiter.api.Test;

/** The arithmetic of evaluations: the summary's interval, the tally's names and mean curves, rank correlation. */
class EvaluationMathTest {

    @Test
    void theSummaryIsTheMeanWithAStudentTIntervalOverTheFiniteValues() {
        Evaluation.Summary s = Tally.summarise("m", "x", List.of(1.0, 2.0, 3.0, Double.NaN));
        assertEquals(3, s.n());
        assertEquals(2.0, s.mean(), 1e-12);
        // sample sd 1, standard error 1/sqrt(3), t(0.975, 2) = 4.3027
        assertEquals(2.0 - 4.3027 / Math.sqrt(3), s.low(), 1e-4);
        assertEquals(2.0 + 4.3027 / Math.sqrt(3), s.high(), 1e-4);
        Evaluation.Summary one = Tally.summarise("m", "x", List.of(5.0));
        assertEquals(5.0, one.mean());
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()));
    }

    @Test
    void studentsTQuantileFollowsTheTableAndItsExpansionBeyond() {
        assertEquals(12.7062, Tally.studentT975(1), 1e-4);
        assertEquals(2.0423, Tally.studentT975(30), 1e-4);
        assertEquals(2.0211, Tally.studentT975(40), 1e-3); // the table value for 40 degrees of freedom
        assertEquals(1.9840, Tally.studentT975(100), 1e-3);
    }

    @Test
    void valuesAreNamedByColumnAndCurvesAreAveragedPerMethod() {
        Tally tally = new Tally();
        double[] x = {0, 0.5, 1};
        tally.add("a.png", "gradcam", "deletion", "deletion", new MetricValues(Map.of("deletion", new double[] {0.2}),
                List.of(new MetricValues.Curve("deletion", 0, x, new double[] {1, 0.5, 0}, "x", "y"))));
        tally.add("b.png", "gradcam", "deletion", "deletion", new MetricValues(Map.of("deletion", new double[] {0.4}),
                List.of(new MetricValues.Curve("deletion", 0, x, new double[] {1, 0.7, 0.2}, "x", "y"))));
        List<Evaluation.Score> named = tally.add("a.png", "gradcam", "energy", "energy-duck",
                new MetricValues(new java.util.LinkedHashMap<>(Map.of("energy", new double[] {0.9})), List.of()));
        assertEquals("energy-duck", named.get(0).metric());
        Evaluation e = tally.result("model", "predicted", List.of("gradcam"));
        assertEquals(0.3, e.summary().get(0).mean(), 1e-12);
        assertEquals(1, e.curves().size());
        assertArrayEquals(new double[] {1, 0.6, 0.1}, e.curves().get(0).y(), 1e-12);
        assertEquals(2, e.curves().get(0).n());
    }

    @Test
    void spearmanIsPearsonOfRanksWithTiesAtTheirMeanRank() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, SanityStep.ranks(new float[] {0, 1, 1, 5}), 1e-12);
        assertEquals(1, SanityStep.spearman(new float[] {1, 2, 3, 4}, new float[] {10, 20, 30, 400}), 1e-12);
        assertEquals(-1, SanityStep.spearman(new float[] {1, 2, 3, 4}, new float[] {4, 3, 2, 1}), 1e-12);
        assertTrue(Double.isNaN(SanityStep.spearman(new float[] {1, 1, 1}, new float[] {1, 2, 3})));
        // ranks {1, 2.5, 2.5, 4} against {1, 2, 3, 4}: Pearson 0.9487
        assertEquals(0.9486833, SanityStep.spearman(new float[] {0, 1, 1, 5}, new float[] {1, 2, 3, 4}), 1e-6);
    }

    @Test
    void csvFieldsWithCommasQuotesOrLineBreaksAreQuoted() {
        assertEquals("plain", Report.csv("plain"));
        assertEquals("\"a,b\"", Report.csv("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Report.csv("say \"hi\""));
    }
}
