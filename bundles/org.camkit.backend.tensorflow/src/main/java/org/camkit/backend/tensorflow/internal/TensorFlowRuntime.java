package org.camkit.backend.tensorflow.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.camkit.api.CamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

// Points JavaCPP at the unpacked tensorflow-core-native jar named by camkit.tensorflow.natives; loads TensorFlow once per JVM.
final class TensorFlowRuntime {

    static final String NATIVES_PROPERTY = "camkit.tensorflow.natives";
    static final String NATIVES_ARTIFACT = "org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64";
    /** Where the jar keeps the libraries, relative to its root. */
    static final String LIBRARY_DIR = "org/tensorflow/internal/c_api/linux-x86_64";
    static final String JNI_LIBRARY = "libjnitensorflow.so";
    /** JVM-wide marker: which class loader loaded TensorFlow (a second copy of the JNI library is not safe). */
    static final String OWNER_PROPERTY = "camkit.tensorflow.loadedBy";
    /** JavaCPP's extra library search path (read by its Loader when it first loads). */
    static final String JAVACPP_PRELOAD_PATH = "org.bytedeco.javacpp.platform.preloadpath";

    /**
     * System property: the threads each model's TensorFlow session computes an operation with (intra-op), e.g. one
     * per Spark task; its operations then run in the calling thread (inter-op -1: no pool shared by the JVM's
     * sessions, whose size the first session would set). Unset, TensorFlow's default (every core).
     */
    static final String THREADS_PROPERTY = "camkit.tensorflow.threads";

    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowRuntime.class);
    private static String version;

    private TensorFlowRuntime() {
    }

    /** @return the TensorFlow version, loading the libraries on first use */
    static synchronized String load() {
        if (version == null) {
            String property = System.getProperty(NATIVES_PROPERTY);
            Path libraries = property == null || property.isBlank() ? onClassPath() : locate(property);
            claim(System.getProperties(), owner());
            if (libraries != null) {
                String path = System.getProperty(JAVACPP_PRELOAD_PATH);
                System.setProperty(JAVACPP_PRELOAD_PATH, libraries + (path == null || path.isBlank() ? ""
                        : File.pathSeparator + path));
                LOG.info("loading TensorFlow from {}", libraries);
            }
            try {
                version = TensorFlow.version();
            } catch (RuntimeException | LinkageError e) {
                throw new CamException("cannot load TensorFlow" + (libraries == null ? "" : " from " + libraries)
                        + ": " + e + ". Unpack " + NATIVES_ARTIFACT + " as is into the directory named by "
                        + NATIVES_PROPERTY + "; if this follows a failed load or a refresh of this bundle, restart "
                        + "the JVM", e);
            }
            LOG.info("TensorFlow {} loaded", version);
        }
        return version;
    }

    /** @return the session configuration {@link #THREADS_PROPERTY} asks for, or null for TensorFlow's default */
    static ConfigProto sessionConfig() {
        return sessionConfig(System.getProperty(THREADS_PROPERTY));
    }

    /**
     * @param threads the value of {@link #THREADS_PROPERTY}, or null
     * @return the session configuration for that many threads, or null for TensorFlow's default
     * @throws CamException if the value is not a whole number of at least 1
     */
    static ConfigProto sessionConfig(String threads) {
        if (threads == null || threads.isBlank()) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(threads.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new CamException("system property " + THREADS_PROPERTY + "=" + threads + " must be a whole number "
                    + "of at least 1 (TensorFlow's threads per model), or unset for TensorFlow's default (every core)");
        }
        return ConfigProto.newBuilder().setIntraOpParallelismThreads(n).setInterOpParallelismThreads(-1).build();
    }

    /**
     * @param property the value of {@link #NATIVES_PROPERTY}
     * @return the directory holding the TensorFlow libraries inside the unpacked jar
     */
    static Path locate(String property) {
        Path dir = Path.of(property).toAbsolutePath();
        Path libraries = dir.resolve(LIBRARY_DIR);
        if (!Files.isRegularFile(libraries.resolve(JNI_LIBRARY))) {
            throw new CamException(NATIVES_PROPERTY + "=" + dir + " holds no " + LIBRARY_DIR + "/" + JNI_LIBRARY
                    + ": unpack the jar " + NATIVES_ARTIFACT + " into that directory as is");
        }
        for (String library : new String[] {"libtensorflow_cc.so.2", "libtensorflow_framework.so.2"}) {
            if (!Files.isRegularFile(libraries.resolve(library))) {
                throw new CamException(NATIVES_PROPERTY + "=" + dir + ": " + libraries + " lacks " + library
                        + ": unpack the whole jar " + NATIVES_ARTIFACT + " there");
            }
        }
        return libraries;
    }

    /** Without the property, the native jar itself may be on this bundle's class path (JavaCPP extracts it). */
    private static Path onClassPath() {
        if (TensorFlowRuntime.class.getClassLoader().getResource(LIBRARY_DIR + "/" + JNI_LIBRARY) == null) {
            throw new CamException("system property " + NATIVES_PROPERTY + " is not set: set it to a directory "
                    + "holding the unpacked jar " + NATIVES_ARTIFACT + " (" + LIBRARY_DIR + "/...)");
        }
        return null;
    }

    /**
     * Records in {@code properties} that the class loader {@code me} loads TensorFlow, or refuses if another did.
     *
     * @throws CamException if another class loader (an earlier copy of this bundle) loaded TensorFlow
     */
    static void claim(Properties properties, String me) {
        Object owner = properties.putIfAbsent(OWNER_PROPERTY, me);
        if (owner != null && !owner.equals(me)) {
            throw new CamException("TensorFlow is already loaded in this JVM by another copy of bundle "
                    + "org.camkit.backend.tensorflow (" + owner + "); native code cannot be loaded twice: restart "
                    + "the runtime instead of updating or refreshing the TensorFlow backend in place");
        }
    }

    private static String owner() {
        ClassLoader loader = TensorFlowRuntime.class.getClassLoader();
        return loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
    }
}
