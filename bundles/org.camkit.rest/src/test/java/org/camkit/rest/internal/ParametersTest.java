package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParametersTest {

    private static Parameters parse(String json, Set<String> allowed) {
        return Parameters.parse(Json.object(json, "parameters"), allowed);
    }

    @Test
    void anUnknownParameterIsRefusedWithTheOnesTheEndpointReads() {
        RestException e = assertThrows(RestException.class,
                () -> parse("{\"methd\": \"gradcam\"}", Parameters.EXPLAIN));
        assertEquals(400, e.status());
        assertEquals("methd", e.body().culprit());
        assertTrue(e.body().choices().contains("method"), e.body().choices()::toString);
    }

    @Test
    void valuesOfTheRightTypesAreRead() {
        Parameters p = parse("{\"method\": \"scorecam\", \"layer\": \"layer4.1.conv2\", \"target\": "
                + "\"class:duck\", \"options\": {\"batch-size\": 16, \"x\": true}, \"columns\": 3, \"augSmooth\": true}",
                Set.of("method", "layer", "target", "options", "columns", "augSmooth"));
        assertEquals("scorecam", p.text("method", null));
        assertEquals(List.of("layer4.1.conv2"), p.layers(), "a layer's dotted name is no file");
        assertEquals("class:duck", p.noFile("target", ""));
        assertEquals(Map.of("batch-size", "16", "x", "true"), p.options());
        assertEquals(3, p.number("columns", 0));
        assertTrue(p.flag("augSmooth"));
        assertEquals(400, assertThrows(RestException.class,
                () -> parse("{\"columns\": 2.5}", Set.of("columns")).number("columns", 0)).status());
        assertEquals(400, assertThrows(RestException.class,
                () -> parse("{\"augSmooth\": \"yes\"}", Set.of("augSmooth")).flag("augSmooth")).status());
    }

    @Test
    void aTargetOrOptionNamingAFileIsRefused() {
        for (String target : List.of("similarity:/etc/passwd", "similarity:concept.npy", "segmentation:3:mask.png",
                "difference:..\\\\secret.npy", "similarity:~root", "similarity:x.npy@1")) {
            RestException e = assertThrows(RestException.class, () -> parse(
                    "{\"target\": \"" + target + "\"}", Set.of("target")).noFile("target", ""), target);
            assertEquals(400, e.status());
            assertEquals("target", e.body().culprit());
            assertTrue(e.getMessage().contains("names a file"), e.getMessage());
        }
        for (String target : List.of("class:duck", "class:3", "detection:duck@1,2,30,40:0.5", "softmax:0.5",
                "class:st. bernard")) {
            assertEquals(target, parse("{\"target\": \"" + target + "\"}", Set.of("target"))
                    .noFile("target", ""));
        }
        assertEquals(400, assertThrows(RestException.class, () -> parse(
                "{\"options\": {\"baseline\": \"/tmp/b.png\"}}", Set.of("options")).options()).status());
    }

    @Test
    void aChoiceOutsideTheListIsRefusedWithTheList() {
        Parameters p = parse("{\"outputs\": [\"overlay\", \"heatmap\"]}", Set.of("outputs"));
        RestException e = assertThrows(RestException.class,
                () -> p.among("outputs", List.of("overlay", "map", "json"), List.of()));
        assertEquals("heatmap", e.body().culprit());
        assertEquals(List.of("overlay", "map", "json"), e.body().choices());
        assertEquals(List.of("npy"), parse("{}", Set.of("map")).among("map", List.of("npy", "png"),
                List.of("npy")));
        assertEquals(List.of("npy"), parse("{\"map\": null}", Set.of("map")).among("map",
                List.of("npy", "png"), List.of("npy")), "null is absent");
    }

    @Test
    void oneChoiceIsAStringAmongTheListAndAnEmptyListOrAnArrayIsRefused() {
        List<String> formats = List.of("npy", "png");
        assertEquals("png", parse("{\"map\": \"png\"}", Set.of("map")).choice("map", formats, "npy"));
        assertEquals("npy", parse("{\"map\": null}", Set.of("map")).choice("map", formats, "npy"));
        for (String bad : List.of("[]", "[\"png\", \"npy\"]", "\"tiff\"")) {
            RestException e = assertThrows(RestException.class, () -> parse("{\"map\": " + bad + "}",
                    Set.of("map")).choice("map", formats, "npy"), bad);
            assertEquals(400, e.status(), bad);
        }
    }

    @Test
    void parametersThatAreNotAnObjectAreRefused() {
        assertEquals(400, assertThrows(RestException.class, () -> parse("[1]", Set.of())).status());
        assertEquals(400, assertThrows(RestException.class, () -> parse("{", Set.of())).status());
    }
}
