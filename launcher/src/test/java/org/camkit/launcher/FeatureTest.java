package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTest {
    @TempDir
    Path dir;

    @Test
    void includedFeaturesComeFirstAndEachFeatureOnce() throws IOException {
        write("base", "{\"bundles\": [\"a\", \"b\"], \"ready\": [\"(x=1)\"]}");
        write("mid", "{\"includes\": [\"base\"], \"bundles\": [\"c\"], \"properties\": {\"k\": \"v\"}}");
        write("top", "{\"includes\": [\"base\", \"mid\"], \"bundles\": [\"d\"]}");

        List<Feature> features = Feature.resolve(dir, List.of("top", "base"));

        assertEquals(List.of("base", "mid", "top"), features.stream().map(Feature::name).toList());
        assertEquals(List.of("a", "b"), features.get(0).bundles());
        assertEquals(List.of("(x=1)"), features.get(0).ready());
        assertEquals(Map.of("k", "v"), features.get(1).properties());
        assertEquals(List.of(), features.get(2).ready());
    }

    @Test
    void unknownFeatureNamesTheKnownOnes() throws IOException {
        write("base", "{}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Feature.resolve(dir, List.of("nope")));

        assertTrue(e.getMessage().contains("unknown feature 'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("[base]"), e.getMessage());
    }

    @Test
    void includeCycleIsRejectedWithItsPath() throws IOException {
        write("a", "{\"includes\": [\"b\"]}");
        write("b", "{\"includes\": [\"a\"]}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Feature.resolve(dir, List.of("a")));

        assertEquals("features include each other in a cycle: a -> b -> a", e.getMessage());
    }

    @Test
    void malformedFileNamesTheFile() throws IOException {
        write("bad", "{\"bundles\": \"not a list\"}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Feature.resolve(dir, List.of("bad")));

        assertTrue(e.getMessage().startsWith("cannot read feature file " + dir.resolve("bad.json")), e.getMessage());
    }

    @Test
    void repositoryFeaturesResolveWithTheEngineIndependentSetBeforeEachBackend() {
        List<Feature> features = Feature.resolve(Path.of("../features"), List.of("demo"));

        assertEquals(List.of("felix", "camkit", "pytorch", "tensorflow", "all", "demo"),
                features.stream().map(Feature::name).toList());
    }

    @Test
    void eachBackendFeatureHoldsOnlyItsBackendOnTopOfTheEngineIndependentSet() {
        Path dir = Path.of("../features");
        List<String> camkit = Feature.resolve(dir, List.of("camkit")).stream()
                .flatMap(f -> f.bundles().stream()).toList();

        assertTrue(camkit.contains("org.camkit.core") && camkit.contains("org.camkit.shell"), camkit.toString());
        assertTrue(camkit.stream().noneMatch(b -> b.startsWith("org.camkit.backend.")), camkit.toString());
        assertEquals(List.of("org.camkit.backend.djl"), Feature.read(dir, "pytorch").bundles());
        assertEquals(List.of("org.camkit.backend.tensorflow"), Feature.read(dir, "tensorflow").bundles());
        assertEquals(List.of("pytorch", "tensorflow"), Feature.read(dir, "all").includes());
    }

    @Test
    void theRestFeatureServesEveryBackendOnLoopbackUnlessToldOtherwise() {
        Path dir = Path.of("../features");
        Feature rest = Feature.read(dir, "rest");

        assertEquals(List.of("felix", "camkit", "pytorch", "tensorflow", "all", "rest"),
                Feature.resolve(dir, List.of("rest")).stream().map(Feature::name).toList());
        assertEquals("127.0.0.1", rest.properties().get("org.apache.felix.http.host"));
        assertEquals("8080", rest.properties().get("org.osgi.service.http.port"));
        assertEquals("org.camkit.rest", rest.bundles().get(rest.bundles().size() - 1));
        assertTrue(rest.ready().contains("(osgi.jaxrs.name=camkit.models)"), rest.ready().toString());
    }

    private void write(String name, String json) throws IOException {
        Files.writeString(dir.resolve(name + ".json"), json);
    }
}
