package org.camkit.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.camkit.api.Explainer;
import org.camkit.launcher.CamkitRuntime;
import org.osgi.framework.ServiceReference;

/**
 * The one camkit runtime of an executor JVM: started by the first partition that needs it, then used by every task
 * of every transform in that JVM, until the JVM exits (the runtime stops itself then). Native engines load once per
 * JVM, so a JVM cannot run a second runtime; a transform that asks for another home, models folder or feature set
 * than the running one gets an error that says so.
 *
 * @since 0.1
 */
public final class ExecutorRuntime {
    /** The system property DJL reads, once, for libtorch's intra-op threads. */
    static final String PYTORCH_THREADS = "ai.djl.pytorch.num_threads";
    /** The system property camkit's TensorFlow backend reads for each model session's intra-op threads. */
    static final String TENSORFLOW_THREADS = "camkit.tensorflow.threads";

    private static Settings running;
    private static CamkitRuntime runtime;
    private static Explainer explainer;

    private ExecutorRuntime() {
    }

    /**
     * What a runtime starts with.
     *
     * @param home          the runtime home (bundles, natives, features), as the executor sees it: an absolute path
     *                      on shared storage, or a relative one such as {@code camkit} for an archive shipped with
     *                      {@code --archives camkit-home.tar.gz#camkit}
     * @param models        the folder of model descriptors and weights; null for the folder where Spark puts the files
     *                      shipped with {@code --files} ({@code SparkFiles.getRootDirectory()})
     * @param features      the runtime features, e.g. {@code pytorch}
     * @param engineThreads the engines' threads per pass (intra-op), set when the runtime starts unless the JVM was
     *                      given {@value #PYTORCH_THREADS} (libtorch) or {@value #TENSORFLOW_THREADS} (TensorFlow)
     *                      already
     */
    public record Settings(String home, String models, List<String> features, int engineThreads)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Validates and copies. */
        public Settings {
            if (home == null || home.isBlank()) {
                throw new IllegalArgumentException("no camkit runtime home: set camkitHome (the folder "
                        + "launcher/target/camkit holds: bundles, natives, features) to a path every executor sees");
            }
            features = List.copyOf(features);
            if (engineThreads < 1) {
                throw new IllegalArgumentException("engineThreads is " + engineThreads + "; give 1 or more");
            }
        }

        // the same runtime: all but the thread count, which only the first start sets
        boolean sameRuntime(Settings other) {
            return home.equals(other.home) && Objects.equals(models, other.models)
                    && features.equals(other.features);
        }
    }

    /**
     * @param settings what the runtime starts with, if it does not run yet
     * @return the Explainer of this JVM's runtime, started (and ready) on the first call
     * @throws IllegalStateException if the runtime runs with other settings, or cannot start
     */
    public static synchronized Explainer explainer(Settings settings) {
        if (runtime == null) {
            start(settings);
        } else if (!running.sameRuntime(settings)) {
            throw new IllegalStateException("this JVM runs camkit from " + running.home() + " with models "
                    + modelsLabel(running) + " and features " + running.features() + "; a transform asked for "
                    + settings.home() + ", " + modelsLabel(settings) + ", " + settings.features() + ". Native engines "
                    + "load once per JVM: use the same camkitHome, modelsDir and features in every transform of a "
                    + "Spark application");
        }
        return explainer;
    }

    /** @return the running runtime, for shell commands beside the transforms (e.g. a benchmark) */
    public static synchronized Optional<CamkitRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    private static void start(Settings settings) {
        Path home = home(settings.home());
        if (!Files.isDirectory(home.resolve("bundles"))) {
            throw new IllegalStateException("camkitHome " + home + " is not a camkit runtime home (no bundles/ in it);"
                    + " build it with mvn install (launcher/target/camkit) and ship it to the executors, e.g. with"
                    + " --archives camkit-home.tar.gz#camkit and camkitHome camkit");
        }
        Path models = (settings.models() != null ? Path.of(settings.models()) : sparkFiles().orElseThrow(
                () -> new IllegalStateException("no modelsDir, and no Spark here to take the models from --files")))
                .toAbsolutePath().normalize();
        for (String threads : List.of(PYTORCH_THREADS, TENSORFLOW_THREADS)) { // read when the engines load
            if (System.getProperty(threads) == null) {
                System.setProperty(threads, String.valueOf(settings.engineThreads()));
            }
        }
        CamkitRuntime started = CamkitRuntime.builder(home).features(settings.features().toArray(String[]::new))
                .modelsDir(models).hostPackagesOf("org.camkit.api").start();
        try {
            started.awaitReady();
            ServiceReference<Explainer> reference = started.context().getServiceReference(Explainer.class);
            explainer = started.context().getService(reference);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        runtime = started;
        running = settings;
    }

    // a relative home is looked for in the working directory (YARN, Kubernetes: where --archives unpack), then
    // among the files Spark fetched (local and standalone mode unpack --archives there)
    private static Path home(String given) {
        Path home = Path.of(given);
        if (!home.isAbsolute() && !Files.isDirectory(home)) {
            Optional<Path> fetched = sparkFiles().map(files -> files.resolve(given)).filter(Files::isDirectory);
            if (fetched.isPresent()) {
                return fetched.get().toAbsolutePath().normalize();
            }
        }
        return home.toAbsolutePath().normalize();
    }

    // where Spark puts the files of --files and --archives; empty outside a Spark application
    private static Optional<Path> sparkFiles() {
        return SparkEnv.get() == null ? Optional.empty()
                : Optional.of(Path.of(SparkFiles.getRootDirectory()));
    }

    private static String modelsLabel(Settings settings) {
        return settings.models() != null ? settings.models() : "from --files (SparkFiles)";
    }
}
