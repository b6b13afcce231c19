package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

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
}
