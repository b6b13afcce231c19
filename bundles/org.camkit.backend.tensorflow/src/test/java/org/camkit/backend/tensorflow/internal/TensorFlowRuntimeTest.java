package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.ConfigProto;

class TensorFlowRuntimeTest {

    @Test
    void aSecondClassLoaderIsRefusedWithARestartHint() {
        Properties jvm = new Properties();
        TensorFlowRuntime.claim(jvm, "bundle-copy-1");
        TensorFlowRuntime.claim(jvm, "bundle-copy-1");
        CamException e = assertThrows(CamException.class, () -> TensorFlowRuntime.claim(jvm, "bundle-copy-2"));
        assertTrue(e.getMessage().contains("bundle-copy-1") && e.getMessage().contains("restart"), e.getMessage());
        assertEquals("bundle-copy-1", jvm.getProperty(TensorFlowRuntime.OWNER_PROPERTY));
    }

    @Test
    void thisJvmIsClaimedByTheLoaderThatLoadedTensorFlow() {
        TensorFlowRuntime.load();
        String owner = System.getProperty(TensorFlowRuntime.OWNER_PROPERTY);
        assertTrue(owner != null && owner.endsWith(
                Integer.toHexString(System.identityHashCode(TensorFlowRuntime.class.getClassLoader()))), owner);
    }

    @Test
    void directoryWithoutUnpackedJarIsNamed(@TempDir Path empty) {
        CamException e = assertThrows(CamException.class, () -> TensorFlowRuntime.locate(empty.toString()));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("libjnitensorflow.so")
                && e.getMessage().contains("tensorflow-core-native"), e.getMessage());
    }

    @Test
    void directoryMissingTheTensorFlowLibraryIsNamed(@TempDir Path dir) throws Exception {
        Path libraries = Files.createDirectories(dir.resolve(TensorFlowRuntime.LIBRARY_DIR));
        Files.createFile(libraries.resolve(TensorFlowRuntime.JNI_LIBRARY));
        CamException e = assertThrows(CamException.class, () -> TensorFlowRuntime.locate(dir.toString()));
        assertTrue(e.getMessage().contains("libtensorflow_cc.so.2"), e.getMessage());
    }

    @Test
    void theThreadsPropertyBecomesEachSessionsThreadsAndABadValueIsNamed() {
        assertNull(TensorFlowRuntime.sessionConfig(null), "unset: TensorFlow's default");
        assertNull(TensorFlowRuntime.sessionConfig(" "));
        ConfigProto two = TensorFlowRuntime.sessionConfig(" 2 ");
        assertEquals(2, two.getIntraOpParallelismThreads());
        assertEquals(-1, two.getInterOpParallelismThreads(), "operations in the calling thread");
        for (String bad : new String[] {"0", "-1", "two", "1.5"}) {
            CamException e = assertThrows(CamException.class, () -> TensorFlowRuntime.sessionConfig(bad), bad);
            assertTrue(e.getMessage().contains(TensorFlowRuntime.THREADS_PROPERTY + "=" + bad)
                    && e.getMessage().contains("at least 1"), e.getMessage());
        }
    }

    @Test
    void unpackedJarGivesItsLibraryDirectory() {
        Path libraries = TensorFlowRuntime.locate(System.getProperty(TensorFlowRuntime.NATIVES_PROPERTY));
        assertTrue(libraries.endsWith(Path.of("org/tensorflow/internal/c_api/linux-x86_64")), libraries.toString());
    }
}
