package org.camkit.backend.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.camkit.api.CamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Points DJL at the unpacked pytorch-native jar named by camkit.pytorch.natives and loads libtorch once per JVM.
final class PyTorchRuntime {

    static final String NATIVES_PROPERTY = "camkit.pytorch.natives";
    static final String NATIVES_ARTIFACT = "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64";
    /** JVM-wide marker: which class loader loaded libtorch (a second loader would abort the JVM). */
    private static final String OWNER_PROPERTY = "camkit.pytorch.loadedBy";

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchRuntime.class);
    private static Engine engine;

    private PyTorchRuntime() {
    }

    /** The libtorch directory and its flavor, read from an unpacked pytorch-native jar. */
    record Natives(Path libraryDir, String version, String flavor) {
    }

    /** @return the PyTorch engine, loading libtorch on first use */
    static synchronized Engine engine() {
        if (engine == null) {
            Natives natives = locate(System.getProperty(NATIVES_PROPERTY));
            claimJvm();
            System.setProperty("PYTORCH_LIBRARY_PATH", natives.libraryDir().toString());
            System.setProperty("PYTORCH_VERSION", natives.version());
            System.setProperty("PYTORCH_FLAVOR", natives.flavor());
            for (String variable : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR"}) {
                if (System.getenv(variable) != null) {
                    LOG.warn("environment variable {}={} overrides {} for DJL", variable, System.getenv(variable),
                            NATIVES_PROPERTY);
                }
            }
            LOG.info("loading libtorch {} ({}) from {}", natives.version(), natives.flavor(), natives.libraryDir());
            try {
                Engine loaded = ContextLoader.call(() -> Engine.getEngine(PtEngine.ENGINE_NAME));
                ContextLoader.run(() -> OneDnn.apply(loaded, natives.libraryDir()));
                engine = loaded;
            } catch (CamException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw new CamException("cannot load libtorch from " + natives.libraryDir() + " (" + NATIVES_PROPERTY
                        + "): " + e.getMessage() + ". Unpack " + NATIVES_ARTIFACT + " there as is, and set "
                        + "DJL_CACHE_DIR to a writable directory (the JNI library is extracted into it)", e);
            }
        }
        return engine;
    }

    /**
     * Reads the layout of an unpacked pytorch-native jar: {@code native/lib/pytorch.properties} (version, flavor,
     * classifier) and the libraries under {@code pytorch/<flavor>/<classifier>/}.
     */
    static Natives locate(String property) {
        if (property == null || property.isBlank()) {
            throw new CamException("system property " + NATIVES_PROPERTY + " is not set: set it to a directory "
                    + "holding the unpacked " + NATIVES_ARTIFACT + " jar (native/lib/pytorch.properties, pytorch/...)");
        }
        Path dir = Path.of(property).toAbsolutePath();
        Path descriptor = dir.resolve("native/lib/pytorch.properties");
        if (!Files.isRegularFile(descriptor)) {
            throw new CamException(NATIVES_PROPERTY + "=" + dir + " has no native/lib/pytorch.properties: unpack the "
                    + NATIVES_ARTIFACT + " jar into that directory as is");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(descriptor)) {
            properties.load(in);
        } catch (IOException e) {
            throw new CamException("cannot read " + descriptor + " (" + NATIVES_PROPERTY + "): " + e.getMessage(), e);
        }
        String version = properties.getProperty("version", "");
        String flavor = properties.getProperty("flavor", "");
        String classifier = properties.getProperty("classifier", "");
        if (version.isEmpty() || flavor.isEmpty() || classifier.isEmpty()) {
            throw new CamException(descriptor + " lacks version, flavor or classifier: it is not from a "
                    + "pytorch-native jar; unpack " + NATIVES_ARTIFACT + " into " + dir);
        }
        Path libraryDir = dir.resolve("pytorch").resolve(flavor).resolve(classifier);
        if (!Files.isRegularFile(libraryDir.resolve(System.mapLibraryName("torch")))) {
            throw new CamException(NATIVES_PROPERTY + "=" + dir + ": " + libraryDir + " holds no "
                    + System.mapLibraryName("torch") + ": unpack the whole " + NATIVES_ARTIFACT + " jar there");
        }
        String expected = expectedVersion();
        String base = version.contains("-") ? version.substring(0, version.indexOf('-')) : version;
        if (expected != null && !expected.equals(base)) {
            throw new CamException(NATIVES_PROPERTY + "=" + dir + " holds libtorch " + version + " but this bundle's "
                    + "DJL needs " + expected + ": unpack ai.djl.pytorch:pytorch-native-cpu:" + expected + " there");
        }
        return new Natives(libraryDir, base, flavor);
    }

    private static String expectedVersion() {
        try (InputStream in = PyTorchRuntime.class.getClassLoader().getResourceAsStream("pytorch-engine.properties")) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("pytorch_version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void claimJvm() {
        ClassLoader loader = PyTorchRuntime.class.getClassLoader();
        String me = loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
        Object owner = System.getProperties().putIfAbsent(OWNER_PROPERTY, me);
        if (owner != null && !owner.equals(me)) {
            throw new CamException("libtorch is already loaded in this JVM by another copy of bundle "
                    + "org.camkit.backend.djl (" + owner + "); native code cannot be loaded twice: restart the "
                    + "runtime instead of updating or refreshing the PyTorch backend in place");
        }
    }
}
