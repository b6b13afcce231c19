package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;

// A framework without bundles: what the runtime itself does, independent of the runtime home's bundles.
class CamkitRuntimeTest {
    @TempDir
    Path home;

    @BeforeEach
    void emptyHome() throws IOException {
        Files.createDirectories(home.resolve("bundles"));
        Files.createDirectories(home.resolve("features"));
        Files.writeString(home.resolve("features/empty.json"), "{}");
        Files.writeString(home.resolve("features/never.json"), "{\"ready\": [\"(objectClass=no.such.Service)\"]}");
    }

    @Test
    void passesModelsDeployAndExtraPropertiesToTheFramework() {
        try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("empty").modelsDir(home.resolve("m"))
                .deployDir(home.resolve("d")).frameworkProperty("x.y", "z").start()) {
            assertEquals(Bundle.ACTIVE, runtime.context().getBundle().getState());
            assertEquals(home.resolve("m").toString(), runtime.context().getProperty("camkit.models"));
            assertEquals(home.resolve("d").toString(), runtime.context().getProperty("felix.fileinstall.dir"));
            assertTrue(Files.isDirectory(home.resolve("d")));
            assertEquals("z", runtime.context().getProperty("x.y"));
            assertEquals("true", System.getProperty("ai.djl.offline"));
            assertTrue(System.getProperty("camkit.pytorch.natives").endsWith("natives/pytorch"));
        }
    }

    @Test
    void aSecondRuntimeCannotStartWhileOneRuns() {
        CamkitRuntime first = CamkitRuntime.builder(home).features("empty").start();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CamkitRuntime.builder(home).features("empty").start());
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
        } finally {
            first.stop();
        }
        CamkitRuntime.builder(home).features("empty").start().stop();
    }

    @Test
    void notReadyNamesTheMissingService() {
        try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("never")
                .readyTimeout(Duration.ofMillis(50)).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runtime.execute("lb"));
            assertTrue(e.getMessage().contains("no service matches (objectClass=no.such.Service)"), e.getMessage());
        }
    }

    @Test
    void commandsNeedTheGogoRuntime() {
        try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("empty").start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runtime.execute("lb"));
            assertTrue(e.getMessage().contains("org.apache.felix.gogo.runtime"), e.getMessage());
        }
    }

    @Test
    void unknownBundleNamesTheAvailableOnes() throws IOException {
        Files.writeString(home.resolve("features/missing.json"), "{\"bundles\": [\"org.example.nope\"]}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CamkitRuntime.builder(home).features("missing").start());

        assertTrue(e.getMessage().startsWith("no bundle 'org.example.nope'"), e.getMessage());
    }

    @Test
    void startsTheFrameworkTheBuilderIsGiven() {
        List<Map<String, String>> configs = new ArrayList<>();
        FrameworkFactory felix = new org.apache.felix.framework.FrameworkFactory();
        FrameworkFactory recording = config -> {
            configs.add(config);
            return felix.newFramework(config);
        };

        try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("empty").frameworkFactory(recording)
                .start()) {
            assertEquals(1, configs.size());
            assertEquals(Bundle.ACTIVE, runtime.context().getBundle().getState());
        }
    }

    @Test
    void severalFrameworksOnTheClassPathMustBeChosenBetween() {
        FrameworkFactory felix = new org.apache.felix.framework.FrameworkFactory();
        FrameworkFactory other = config -> felix.newFramework(config);

        assertSame(felix, CamkitRuntime.frameworkOnClassPath(List.of(felix)));
        IllegalStateException several = assertThrows(IllegalStateException.class,
                () -> CamkitRuntime.frameworkOnClassPath(List.of(felix, other)));
        assertTrue(several.getMessage().startsWith("several OSGi frameworks on the class path"), several.getMessage());
        assertTrue(several.getMessage().contains("CamkitRuntime.Builder.frameworkFactory"), several.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> CamkitRuntime.frameworkOnClassPath(List.of()));
        assertTrue(none.getMessage().startsWith("no OSGi framework on the class path"), none.getMessage());
    }

    @Test
    void hostPackagesOfABundleAreExportedBySystemBundleAtTheBundlesVersions() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "org.example.api");
        manifest.getMainAttributes().putValue("Export-Package", "org.example.api;version=\"1.2.0\";"
                + "uses:=\"org.example.spi,org.example.more\",org.example.spi;org.example.more;version=\"2.0.0\"");
        try (OutputStream out = Files.newOutputStream(home.resolve("bundles/api.jar"));
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }

        try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("empty").hostPackagesOf("org.example.api")
                .start()) {
            Map<String, String> exported = new HashMap<>();
            runtime.context().getBundle(0).adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)
                    .forEach(c -> exported.put((String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE),
                            String.valueOf(c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE))));
            assertEquals("1.2.0", exported.get("org.example.api"));
            assertEquals("2.0.0", exported.get("org.example.spi"));
            assertEquals("2.0.0", exported.get("org.example.more"));
        }
    }
}
