package org.camkit.launcher;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A named set of bundles, read from {@code <name>.json} in a features directory (format: features/README.md).
 *
 * @param name        the file name without {@code .json}
 * @param description what the feature is for
 * @param includes    features whose bundles start first
 * @param bundles     bundle symbolic names (or jar file name prefixes), in start order
 * @param properties  framework properties the feature sets
 * @param ready       LDAP service filters that must all match a registered service before a command runs
 * @since 0.1
 */
public record Feature(String name, String description, List<String> includes, List<String> bundles,
                      Map<String, String> properties, List<String> ready) {

    /** Defensive copies; absent lists and maps become empty. */
    public Feature {
        includes = includes == null ? List.of() : List.copyOf(includes);
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        ready = ready == null ? List.of() : List.copyOf(ready);
    }

    /**
     * Reads one feature file.
     *
     * @param dir  the features directory
     * @param name the feature name
     * @return the feature, never null
     * @throws IllegalArgumentException if the file is missing or malformed; the message lists the known features
     */
    public static Feature read(Path dir, String name) {
        Path file = dir.resolve(name + ".json");
        try (Reader reader = Files.newBufferedReader(file)) {
            Feature raw = new Gson().fromJson(reader, Feature.class);
            if (raw == null) {
                throw new IllegalArgumentException("feature file " + file + " is empty");
            }
            return new Feature(name, raw.description(), raw.includes(), raw.bundles(), raw.properties(), raw.ready());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("unknown feature '" + name + "': no " + file + "; known features: "
                    + known(dir));
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException("cannot read feature file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Flattens features and their includes, depth first, each feature once.
     *
     * @param dir   the features directory
     * @param names the features asked for
     * @return the features in start order (included features before the features that include them)
     * @throws IllegalArgumentException if a feature is unknown or malformed, or includes form a cycle
     */
    public static List<Feature> resolve(Path dir, List<String> names) {
        Map<String, Feature> done = new LinkedHashMap<>();
        for (String name : names) {
            visit(dir, name, new LinkedHashSet<>(), done);
        }
        return List.copyOf(done.values());
    }

    private static void visit(Path dir, String name, Set<String> path, Map<String, Feature> done) {
        if (done.containsKey(name)) {
            return;
        }
        if (!path.add(name)) {
            throw new IllegalArgumentException("features include each other in a cycle: "
                    + String.join(" -> ", path) + " -> " + name);
        }
        Feature feature = read(dir, name);
        for (String include : feature.includes()) {
            visit(dir, include, path, done);
        }
        path.remove(name);
        done.put(name, feature);
    }

    /** @return the feature names found in {@code dir}, sorted */
    public static List<String> known(Path dir) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                    .map(f -> f.substring(0, f.length() - ".json".length())).sorted().forEach(names::add);
        } catch (IOException e) {
            return List.of();
        }
        return names;
    }
}
