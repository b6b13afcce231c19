package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchRuntimeTest {

    @Test
    void missingPropertyNamesThePropertyAndTheArtifact() {
        CamException e = assertThrows(CamException.class, () -> PyTorchRuntime.locate(null));
        assertTrue(e.getMessage().contains("camkit.pytorch.natives")
                && e.getMessage().contains("pytorch-native-cpu"), e.getMessage());
    }

    @Test
    void directoryWithoutUnpackedJarIsNamed(@TempDir Path empty) {
        CamException e = assertThrows(CamException.class, () -> PyTorchRuntime.locate(empty.toString()));
        assertTrue(e.getMessage().contains(empty.toString())
                && e.getMessage().contains("native/lib/pytorch.properties"), e.getMessage());
    }

    @Test
    void directoryWithoutLibtorchIsNamed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("native/lib"));
        Files.writeString(dir.resolve("native/lib/pytorch.properties"),
                "version=2.7.1-20250812\nflavor=cpu\nclassifier=linux-x86_64\n");
        CamException e = assertThrows(CamException.class, () -> PyTorchRuntime.locate(dir.toString()));
        assertTrue(e.getMessage().contains("libtorch.so"), e.getMessage());
    }

    @Test
    void unpackedJarGivesTheLibraryDirectoryAndFlavor() {
        PyTorchRuntime.Natives natives = PyTorchRuntime.locate(System.getProperty("camkit.pytorch.natives"));
        assertTrue(natives.libraryDir().endsWith(Path.of("pytorch", "cpu", "linux-x86_64")), natives.toString());
        assertEquals("2.7.1", natives.version());
        assertEquals("cpu", natives.flavor());
    }
}
