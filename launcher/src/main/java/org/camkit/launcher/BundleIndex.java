package org.camkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

// The bundle jars of a runtime home, by Bundle-SymbolicName.
final class BundleIndex {
    private final Path dir;
    private final Map<String, Path> bySymbolicName = new TreeMap<>();

    BundleIndex(Path dir) {
        this.dir = dir;
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the bundles directory " + dir
                    + "; build the runtime home with 'mvn install' in launcher/", e);
        }
        for (Path jar : jars) {
            String name = symbolicName(jar);
            if (name != null) {
                bySymbolicName.putIfAbsent(name, jar);
            }
        }
    }

    /**
     * @param name a Bundle-SymbolicName, or the start of a jar file name
     * @return the jar
     * @throws IllegalArgumentException if no jar, or more than one by prefix, matches
     */
    Path find(String name) {
        Path jar = bySymbolicName.get(name);
        if (jar != null) {
            return jar;
        }
        List<Path> byPrefix = bySymbolicName.values().stream()
                .filter(j -> j.getFileName().toString().startsWith(name)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        if (byPrefix.isEmpty()) {
            throw new IllegalArgumentException("no bundle '" + name + "' in " + dir
                    + " (rebuild with 'mvn install' if it is a camkit module); available: " + bySymbolicName.keySet());
        }
        throw new IllegalArgumentException("bundle name '" + name + "' matches several jars in " + dir + ": "
                + byPrefix + "; use the Bundle-SymbolicName");
    }

    private static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return value == null ? null : value.split(";")[0].trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the manifest of " + jar + ": " + e.getMessage(), e);
        }
    }
}
