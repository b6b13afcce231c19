package org.camkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

// The bundle jars of a runtime home, by Bundle-SymbolicName.
final class BundleIndex {
    private final String where;
    private final Map<String, Path> bySymbolicName = new TreeMap<>();

    BundleIndex(Path dir) {
        this(dir.toString(), jars(dir));
    }

    /**
     * @param where what holds the jars, for messages
     * @param jars  bundle jars; of two with the same symbolic name the first counts, jars that are no bundle are left
     *              out
     */
    BundleIndex(String where, List<Path> jars) {
        this.where = where;
        for (Path jar : jars) {
            String name = symbolicName(jar);
            if (name != null) {
                bySymbolicName.putIfAbsent(name, jar);
            }
        }
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the bundles directory " + dir
                    + "; build the runtime home with 'mvn install' in launcher/", e);
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
            throw new IllegalArgumentException("no bundle '" + name + "' in " + where
                    + " (rebuild with 'mvn install' if it is a camkit module); available: " + bySymbolicName.keySet());
        }
        throw new IllegalArgumentException("bundle name '" + name + "' matches several jars in " + where + ": "
                + byPrefix + "; use the Bundle-SymbolicName");
    }

    /**
     * @param jar a bundle
     * @return its Export-Package clauses, one per package, as {@code name;version=v} (without uses and other
     *         directives); empty if it exports none
     */
    static List<String> exportedPackages(Path jar) {
        String header = mainAttribute(jar, "Export-Package");
        List<String> packages = new ArrayList<>();
        for (String clause : splitOutsideQuotes(header == null ? "" : header, ',')) {
            List<String> names = new ArrayList<>();
            String version = null;
            for (String part : splitOutsideQuotes(clause, ';')) {
                String p = part.trim();
                if (p.startsWith("version=")) {
                    version = p.substring("version=".length()).replace("\"", "");
                } else if (!p.contains("=") && !p.isEmpty()) {
                    names.add(p);
                }
            }
            for (String name : names) {
                packages.add(version == null ? name : name + ";version=" + version);
            }
        }
        return packages;
    }

    // OSGi headers quote values that hold separators (uses:="a,b").
    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (!part.isEmpty()) {
            parts.add(part.toString());
        }
        return parts;
    }

    private static String symbolicName(Path jar) {
        String value = mainAttribute(jar, "Bundle-SymbolicName");
        return value == null ? null : value.split(";")[0].trim();
    }

    private static String mainAttribute(Path jar, String name) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue(name);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the manifest of " + jar + ": " + e.getMessage(), e);
        }
    }
}
