package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.camkit.api.GroundTruth;
import org.junit.jupiter.api.Test;

class FaithfulnessTest {

    private static final Faithfulness.Row FLOOR = row(Faithfulness.FLOOR, 0.20, 0.30);

    /** A row that matters for the rule: energy on the duck and deletion AUC; the rest are fillers. */
    private static Faithfulness.Row row(String method, double energyDuck, double deletion) {
        return new Faithfulness.Row(method, 0.5, 0.5, energyDuck, 0.3, deletion, 0.1);
    }

    @Test
    void passesWhenEveryMethodBeatsRandomcamOnEnergyOnTheDuckAndDeletion() {
        Faithfulness.Verdict verdict = Faithfulness.verdict(List.of(row("gradcam", 0.6, 0.1),
                row("layercam", 0.21, 0.29), FLOOR));
        assertTrue(verdict.passed());
        assertEquals(2, verdict.compared());
        assertEquals(Map.of(), verdict.losers());
    }

    @Test
    void aMethodThatLosesOnEitherMetricFailsTheRuleAndIsNamedWithWhatItLosesOn() {
        Faithfulness.Verdict verdict = Faithfulness.verdict(List.of(row("gradcam", 0.6, 0.1),
                row("eigengradcam", 0.1, 0.1), row("fullgrad", 0.6, 0.4), row("xgradcam", 0.1, 0.5), FLOOR));
        assertFalse(verdict.passed());
        assertEquals(Map.of("eigengradcam", List.of("energy duck"), "fullgrad", List.of("deletion AUC"),
                "xgradcam", List.of("energy duck", "deletion AUC")), verdict.losers());
        assertEquals(List.of("eigengradcam", "fullgrad", "xgradcam"), List.copyOf(verdict.losers().keySet()));
    }

    @Test
    void aTieOrAMissingValueDoesNotBeatTheFloor() {
        Faithfulness.Verdict verdict = Faithfulness.verdict(List.of(row("gradcam", 0.20, 0.1),
                row("hirescam", Double.NaN, 0.1), row("layercam", 0.6, Double.NaN), FLOOR));
        assertEquals(List.of("gradcam", "hirescam", "layercam"), List.copyOf(verdict.losers().keySet()));
    }

    @Test
    void withNothingButTheFloorTheRuleFails() {
        assertFalse(Faithfulness.verdict(List.of(FLOOR)).passed());
        assertThrows(IllegalArgumentException.class, () -> Faithfulness.verdict(List.of(row("gradcam", 1, 0))));
    }

    @Test
    void theReportTableHasAColumnPerMetricAndEndsWithTheVerdict() {
        Faithfulness.Result result = new Faithfulness.Result("demo-biased", 16, List.of(row("gradcam", 0.6, 0.1),
                row("fullgrad", 0.1, 0.1), FLOOR), Map.of("guidedgradcam", "method 'guidedgradcam' failed; why"),
                null, 12.5);
        String text = result.toString();
        assertTrue(text.startsWith("How faithful: demo-biased on 16 held-out scenes with a duck, 2 methods and"
                + " randomcam"), text);
        assertTrue(text.contains("in 12.5 s"), text);
        assertTrue(text.contains("guidedgradcam: not scored, method 'guidedgradcam' failed\n"), text);
        assertTrue(text.contains("METHOD") && text.contains("pointing duck  pointing creature  energy duck  energy"
                + " creature  deletion AUC (lower better)  ROAD (higher better)"), text);
        assertTrue(text.contains("percentiles 20,40,60,80, fewer than ROAD's default 10..90"), text);
        String[] lines = text.split("\n");
        assertTrue(lines[lines.length - 1].startsWith("  [FAIL] 1 of 2 methods does not beat randomcam"), text);
        assertTrue(lines[lines.length - 1].endsWith("fullgrad (energy duck)"), text);
    }

    @Test
    void scenesAllHaveADuckAndTheirTruthNamesBothObjects() {
        List<Scene> scenes = Faithfulness.scenes(6, 5, new SceneGenerator(64));
        assertEquals(6, scenes.size());
        for (Scene scene : scenes) {
            GroundTruth truth = Faithfulness.truth(scene);
            assertEquals(0, truth.width());
            assertEquals(List.of(SceneGenerator.LABELS.get(scene.label()), SceneGenerator.DUCK),
                    truth.regions().stream().map(GroundTruth.Region::label).toList());
            Box creature = scene.creature();
            GroundTruth.Region region = truth.regions().get(0);
            assertEquals(List.of((double) creature.x(), (double) creature.y(), (double) creature.width(),
                    (double) creature.height()), List.of(region.x(), region.y(), region.width(), region.height()));
        }
    }
}
