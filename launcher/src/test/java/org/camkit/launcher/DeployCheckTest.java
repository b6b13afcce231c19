package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCheckTest {
    @TempDir
    Path dir;

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new ZipEntry("a.txt"));
            jar.write("a".getBytes());
        }
        return file;
    }

    @Test
    void aJarThatIsNotABundleIsNamedWithWhatItLacks() throws IOException {
        assertNull(DeployCheck.problem(jar("bundle.jar", "org.example.method")));
        assertEquals("is not an OSGi bundle: its manifest has no Bundle-SymbolicName",
                DeployCheck.problem(jar("plain.jar", null)));
        Path bare = dir.resolve("bare.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bare))) {
            zip.putNextEntry(new ZipEntry("a.txt"));
        }
        assertEquals("is not an OSGi bundle: it has no manifest", DeployCheck.problem(bare));
        String garbage = DeployCheck.problem(Files.writeString(dir.resolve("garbage.jar"), "not a zip"));
        assertTrue(garbage.startsWith("is not a readable jar"), garbage);
        assertNull(DeployCheck.problem(Files.writeString(dir.resolve("org.camkit.model-x.cfg"), "name=x")));
    }
}
