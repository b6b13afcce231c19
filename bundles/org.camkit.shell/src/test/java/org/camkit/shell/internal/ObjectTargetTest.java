package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.Detection;
import org.junit.jupiter.api.Test;

class ObjectTargetTest {

    private static final Detection DUCK = new Detection(2, "duck", 0.9f, 73.20713f, 1.6218481f, 105.5f, 27f, false);
    private static final Detection CREATURE = new Detection(0, "charmander", 0.8f, 10, 20, 50, 60, false);

    @Test
    void onlyALabelWithoutABoxExplainsEachObject() {
        assertEquals(Optional.of(new ObjectTarget("duck", "")), ObjectTarget.parse("detection:duck"));
        assertEquals(Optional.of(new ObjectTarget("duck", ":0.7")), ObjectTarget.parse("detection:duck:0.7"));
        for (String other : List.of("detection", "detection:", "detection:duck@1,2,3,4", "class:duck", "")) {
            assertTrue(ObjectTarget.parse(other).isEmpty(), other);
        }
    }

    @Test
    void eachObjectGetsTheSpecOfExactlyItsBoxAndAFileOfItsOwn() {
        ObjectTarget duck = ObjectTarget.parse("detection:duck:0.7").orElseThrow();
        assertEquals(List.of(DUCK), duck.of(List.of(CREATURE, DUCK)));
        assertEquals(List.of(DUCK), ObjectTarget.parse("detection:2").orElseThrow().of(List.of(CREATURE, DUCK)));
        String spec = duck.spec(DUCK);
        assertEquals("detection:duck@73.20713,1.6218481,105.5,27:0.7", spec);
        String[] box = spec.substring(spec.indexOf('@') + 1, spec.lastIndexOf(':')).split(",");
        assertEquals(DUCK.x0(), Float.parseFloat(box[0]), "the box reads back as the same float");
        assertEquals(Path.of("out/d-duck-1.png"), duck.file(Path.of("out/d.png"), 1));
        assertEquals(Path.of("d-traffic_light-0.npy"), new ObjectTarget("traffic light", "").file(Path.of("d.npy"),
                0));
    }

    @Test
    void detectTableListsEachImagesDetectionsAndRefusesAScoreOutsideZeroToOne() {
        String table = DetectTable.format(List.of(Path.of("a.png"), Path.of("b.png")), List.of(List.of(DUCK,
                CREATURE), List.of()));
        assertTrue(table.startsWith("a.png: 2 detection(s)\nLABEL"), table);
        assertTrue(table.contains("duck        0.900  73.2  1.6   105.5  27.0"), table);
        assertTrue(table.contains("b.png: 0 detection(s)"), table);
        assertTrue(DetectTable.json(List.of(Path.of("a.png")), List.of(List.of(DUCK)))
                .contains("\"target\": \"detection:duck@73.20713,1.6218481,105.5,27\""));
        for (String bad : List.of("-0.1", "1.5", "x", "NaN")) {
            CamException e = org.junit.jupiter.api.Assertions.assertThrows(CamException.class,
                    () -> DetectTable.minScore(bad));
            assertTrue(e.getMessage().contains("--min-score"), e.getMessage());
        }
    }
}
