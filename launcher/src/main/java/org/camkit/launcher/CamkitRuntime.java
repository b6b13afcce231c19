package org.camkit.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running OSGi framework with the bundles of a set of features, taken from a runtime home
 * ({@code launcher/target/camkit}: {@code bundles/}, {@code features/}, {@code natives/}). The framework is Apache
 * Felix, or whichever one the class path provides or {@link Builder#frameworkFactory} names (Eclipse Equinox runs
 * the same bundles).
 *
 * <p>Native engines load once per JVM: one runtime runs at a time in a JVM; better, start one per JVM. Bundles are installed by reference
 * (not copied into the framework storage) and started in feature order; FileInstall watches the deploy
 * directory for bundles and {@code .cfg} configurations. Commands wait until every service the features list
 * as {@code ready} is registered.
 *
 * <pre>{@code
 * try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("pytorch").start()) {
 *     CommandResult result = runtime.execute("cam:methods");
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class CamkitRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CamkitRuntime.class);
    private static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String COMMAND_SESSION = "org.apache.felix.service.command.CommandSession";
    private static final String CONVERTER = "org.apache.felix.service.command.Converter";
    private static final String JAXRS_RUNTIME = "org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime";

    private static final AtomicBoolean RUNNING = new AtomicBoolean();
    private static final String SLF4J_1_API = "1.7.36";

    private final Framework framework;
    private final List<Bundle> bundles;
    private final Map<Bundle, String> startFailures;
    private final List<String> readyFilters;
    private final Duration readyTimeout;
    private final Path deployDir;
    private DeployCheck deployCheck;
    private final Path storageToDelete;
    private final long startNanos;
    private volatile Duration readyTime;
    private volatile boolean stopped;
    // stops the framework and deletes its storage also when a command calls System.exit (gosh: 'exit 0')
    private final Thread shutdownHook = new Thread(this::stop, "camkit-runtime-stop");

    private CamkitRuntime(Builder builder) {
        this.startNanos = System.nanoTime();
        Path home = builder.home.toAbsolutePath().normalize();
        Path featuresDir = builder.featuresDir != null ? builder.featuresDir : home.resolve("features");
        List<Feature> features = Feature.resolve(featuresDir, builder.features);
        BundleIndex index = new BundleIndex(home.resolve("bundles"));
        Set<Path> jars = new LinkedHashSet<>();
        Map<String, String> featureProperties = new HashMap<>();
        List<String> ready = new ArrayList<>();
        List<String> hostPackages = new ArrayList<>(builder.hostPackages);
        builder.hostPackagesOf.forEach(name -> hostPackages.addAll(BundleIndex.exportedPackages(index.find(name))));
        for (Feature feature : features) {
            feature.bundles().forEach(name -> jars.add(index.find(name)));
            featureProperties.putAll(feature.properties());
            ready.addAll(feature.ready());
        }
        this.readyFilters = List.copyOf(ready);
        this.readyTimeout = builder.readyTimeout;
        FrameworkFactory factory = builder.frameworkFactory != null ? builder.frameworkFactory
                : frameworkOnClassPath(ServiceLoader.load(FrameworkFactory.class, CamkitRuntime.class.getClassLoader())
                        .stream().map(ServiceLoader.Provider::get).toList());

        setSystemProperties(home, builder.systemProperties);
        try {
            this.storageToDelete = builder.storage == null ? Files.createTempDirectory("camkit-felix-") : null;
            Path storage = builder.storage != null ? builder.storage : storageToDelete;
            this.deployDir = (builder.deployDir != null ? builder.deployDir : home.resolve("deploy"))
                    .toAbsolutePath().normalize();
            Files.createDirectories(deployDir);
            Path models = (builder.modelsDir != null ? builder.modelsDir : Path.of("models")).toAbsolutePath()
                    .normalize();

            Map<String, Object> config = new HashMap<>();
            config.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                    Stream.concat(Stream.of(slf4jPackages()), hostPackages.stream())
                            .collect(java.util.stream.Collectors.joining(",")));
            config.put("felix.fileinstall.dir", deployDir.toString());
            config.put("felix.fileinstall.poll", "500");
            config.put("felix.fileinstall.noInitialDelay", "true");
            config.put("felix.fileinstall.log.level", "2");
            config.put("camkit.models", models.toString());
            if (!builder.interactiveShell) {
                // No console; a quiet profile, as the default one configures a line reader that does not exist.
                config.put("gosh.args", "--nointeractive");
                config.put("gosh.home", home.resolve("gosh/command").toString());
            }
            config.putAll(featureProperties);
            config.putAll(builder.frameworkProperties);
            if (factory.getClass().getName().startsWith("org.apache.felix.framework.")) {
                // Felix's own log to SLF4J; only Felix reads these (and only Felix has the logger's superclass)
                config.put("felix.log.logger", new FelixLog());
                config.put("felix.log.level", "2");
            }
            this.framework = newFramework(factory, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the framework directories: " + e.getMessage(), e);
        }

        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        // Bundles (the jline shell's completion, DJL's engine lookup) must not see the launcher's class loader.
        Thread.currentThread().setContextClassLoader(null);
        if (!RUNNING.compareAndSet(false, true)) {
            if (storageToDelete != null) {
                deleteTree(storageToDelete);
            }
            throw new IllegalStateException("a camkit runtime is already running in this JVM; native engines load once "
                    + "per JVM, so stop it (or share it) instead of starting a second one");
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            framework.start();
            if (builder.interactiveShell) {
                ShellExit.register(framework.getBundleContext());
            }
            this.bundles = install(framework.getBundleContext(), jars);
            this.startFailures = startAll(bundles);
            this.deployCheck = DeployCheck.start(deployDir);
            preloadShutdownHookClasses();
        } catch (BundleException | RuntimeException e) {
            stop();
            throw new IllegalStateException("cannot start the OSGi framework " + framework.getSymbolicName() + ": "
                    + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(tccl);
        }
        LOG.debug("framework started with {} bundles of features {} in {} ms", bundles.size(),
                features.stream().map(Feature::name).toList(), elapsedMillis());
    }

    // The one framework the class path offers; several must be chosen between, not picked by class path order.
    static FrameworkFactory frameworkOnClassPath(List<FrameworkFactory> found) {
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no OSGi framework on the class path (no META-INF/services/"
                    + FrameworkFactory.class.getName() + "): add org.apache.felix.framework (or Eclipse's "
                    + "org.eclipse.osgi), or give one to CamkitRuntime.Builder.frameworkFactory");
        }
        throw new IllegalStateException("several OSGi frameworks on the class path ("
                + found.stream().map(f -> f.getClass().getName()).toList() + "): remove all but one, or choose one "
                + "with CamkitRuntime.Builder.frameworkFactory");
    }

    // Felix takes its logger object among the properties; the FrameworkFactory signature says strings only.
    @SuppressWarnings("unchecked")
    private static Framework newFramework(FrameworkFactory factory, Map<String, Object> config) {
        return factory.newFramework((Map<String, String>) (Map<String, ?>) config);
    }

    /**
     * @param home the runtime home, e.g. {@code launcher/target/camkit}
     * @return a builder with the default feature {@code pytorch}
     */
    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** @return the system bundle's context, for service lookups and bundle management */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** @return the directory FileInstall watches for bundles and {@code .cfg} files */
    public Path deployDir() {
        return deployDir;
    }

    /**
     * @return where the OSGi JAX-RS Whiteboard serves (the feature {@code rest}), e.g. {@code http://127.0.0.1:8080/}:
     *         the {@code osgi.jaxrs.endpoint} of its {@code JaxrsServiceRuntime}, with the port Jetty bound (also for
     *         {@code org.osgi.service.http.port=0}); empty while there is none
     */
    public Optional<URI> httpEndpoint() {
        ServiceReference<?> reference = firstReference(context(), JAXRS_RUNTIME);
        Object endpoints = reference == null ? null : reference.getProperty("osgi.jaxrs.endpoint");
        Stream<?> values = endpoints instanceof String[] array ? Stream.of(array)
                : endpoints instanceof java.util.Collection<?> list ? list.stream() : Stream.ofNullable(endpoints);
        return values.map(String::valueOf).findFirst().map(URI::create);
    }

    /** @return the bundles the features installed, in start order */
    public List<Bundle> bundles() {
        return bundles;
    }

    /**
     * Waits until every service the features list as {@code ready} is registered.
     *
     * @return the time from the start of this runtime to ready (the same value on every call once ready)
     * @throws IllegalStateException if the services do not appear within the ready timeout; the message lists
     *                               the missing services, the bundles that are not active and why, and the
     *                               components that are not satisfied
     */
    public Duration awaitReady() {
        Duration done = readyTime;
        if (done != null) {
            return done;
        }
        for (String filter : readyFilters) {
            if (!awaitService(filter, readyTimeout)) {
                throw new IllegalStateException("camkit runtime not ready after " + readyTimeout.toSeconds()
                        + " s: no service matches " + filter + "." + new Diagnostics(this).describe());
            }
        }
        readyTime = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.debug("runtime ready for commands {} ms after start", readyTime.toMillis());
        return readyTime;
    }

    /**
     * @param filter  an LDAP service filter, e.g. {@code (osgi.command.scope=cam)}
     * @param timeout how long to wait
     * @return true if a service matching the filter is registered within the timeout
     * @throws IllegalArgumentException if the filter is malformed
     */
    public boolean awaitService(String filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (context().getAllServiceReferences(null, filter) == null) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
            return true;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("malformed service filter " + filter + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs one Gogo command line in a new session, after {@link #awaitReady()}. Thread-safe: each call has
     * its own session.
     *
     * @param commandLine a Gogo command line, e.g. {@code cam:methods} or {@code lb | grep camkit}
     * @return the result; a command that throws gives a result with the exception, never a thrown one
     * @throws IllegalStateException if the runtime is not ready or has no Gogo command processor
     */
    public CommandResult execute(String commandLine) {
        awaitReady();
        ServiceReference<?> reference = firstReference(context(), COMMAND_PROCESSOR);
        if (reference == null) {
            throw new IllegalStateException("no Gogo CommandProcessor service: add the feature 'felix' (bundle "
                    + "org.apache.felix.gogo.runtime) to run commands");
        }
        Object processor = context().getService(reference);
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(null);
        try {
            return runCommand(reference.getBundle(), processor, commandLine);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call the Gogo runtime of bundle "
                    + reference.getBundle().getSymbolicName() + ": " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(tccl);
            context().ungetService(reference);
        }
    }

    private static CommandResult runCommand(Bundle gogo, Object processor, String commandLine)
            throws ReflectiveOperationException {
        Class<?> processorType = gogo.loadClass(COMMAND_PROCESSOR);
        Class<?> sessionType = gogo.loadClass(COMMAND_SESSION);
        int inspect = gogo.loadClass(CONVERTER).getField("INSPECT").getInt(null);
        Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                OutputStream.class);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), output, output);
        Object value = null;
        String formatted = null;
        Throwable failure = null;
        try {
            sessionType.getMethod("put", String.class, Object.class).invoke(session, "SCOPE", "gogo:*");
            value = sessionType.getMethod("execute", CharSequence.class).invoke(session, commandLine);
            if (value != null) {
                formatted = String.valueOf(sessionType.getMethod("format", Object.class, int.class)
                        .invoke(session, value, inspect));
            }
        } catch (InvocationTargetException e) {
            failure = e.getCause();
        } finally {
            sessionType.getMethod("close").invoke(session);
        }
        // read after close: the session flushes what the command printed
        return new CommandResult(value, formatted, output.toString(StandardCharsets.UTF_8), failure);
    }

    // All references, also those whose class the system bundle would load differently (an API jar on the class path).
    static ServiceReference<?> firstReference(BundleContext context, String type) {
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(type, null);
            return references == null ? null : references[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Blocks until the framework stops, e.g. when the user leaves the interactive shell. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /**
     * Stops the framework (waiting up to 30 s) and deletes the framework storage it created. Idempotent; another
     * runtime may start afterwards (but a bundle with native code may refuse to load its library twice).
     */
    public synchronized void stop() {
        if (deployCheck != null) {
            deployCheck.close();
        }
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException e) {
            LOG.warn("stopping the framework failed: {}", e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (storageToDelete != null) {
            deleteTree(storageToDelete);
        }
        if (!stopped) {
            stopped = true;
            RUNNING.set(false);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                LOG.debug("stopped by the JVM shutdown");
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    Map<Bundle, String> startFailures() {
        return startFailures;
    }

    private long elapsedMillis() {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    private static List<Bundle> install(BundleContext context, Set<Path> jars) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(context.installBundle("reference:" + jar.toUri()));
        }
        return List.copyOf(installed);
    }

    private static Map<Bundle, String> startAll(List<Bundle> bundles) {
        Map<Bundle, String> failures = new LinkedHashMap<>();
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException | RuntimeException e) {
                String reason = e.getCause() != null && e.getCause() != e
                        ? e.getMessage() + " (" + e.getCause() + ")" : e.getMessage();
                failures.put(bundle, reason);
                LOG.error("bundle {} did not start: {}", bundle.getSymbolicName(), reason);
            }
        }
        return failures;
    }

    // OpenCV's loadLocally() registers a JVM shutdown hook that deletes its extracted library with classes it has
    // not loaded yet; once the framework stops (also when the shell user leaves), its bundle class loader can no
    // longer load them, the hook fails and the temporary directory (65 MB) stays. Loaded now, they stay reachable.
    private void preloadShutdownHookClasses() {
        for (Bundle bundle : bundles) {
            if (!bundle.getSymbolicName().equals("org.openpnp.opencv") || bundle.getState() != Bundle.ACTIVE) {
                continue;
            }
            var entries = bundle.findEntries("nu/pattern", "OpenCV$*.class", false);
            while (entries != null && entries.hasMoreElements()) {
                String path = entries.nextElement().getPath();
                String name = path.substring(1, path.length() - ".class".length()).replace('/', '.');
                try {
                    bundle.loadClass(name);
                } catch (ClassNotFoundException | LinkageError e) {
                    LOG.debug("cannot preload {}: {}", name, e.toString());
                }
            }
        }
    }

    private static void setSystemProperties(Path home, Map<String, String> extra) {
        extra.forEach(System::setProperty);
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_CACHE_DIR", home.resolve("cache/djl").toString());
        setIfAbsent("camkit.pytorch.natives", home.resolve("natives/pytorch").toString());
        setIfAbsent("camkit.tensorflow.natives", home.resolve("natives/tensorflow").toString());
        setIfAbsent("org.bytedeco.javacpp.cachedir", home.resolve("cache/javacpp").toString());
        // CXF (feature 'rest') logs through java.util.logging to the console unless told to use SLF4J
        setIfAbsent("org.apache.cxf.Logger", "org.apache.cxf.common.logging.Slf4jLogger");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    // SLF4J lives on the launcher class path (see launcher/pom.xml); the system bundle exports its API. The logger
    // API (org.slf4j, org.slf4j.spi) is exported a second time at 1.7.36: SLF4J 2 keeps it binary compatible with 1.7,
    // and bundles built against 1.7 import [1.7,2) or [1.5,2) (the Aries JAX-RS Whiteboard and CXF of the feature
    // 'rest').
    private static String slf4jPackages() {
        String version = LoggerFactory.class.getPackage().getImplementationVersion();
        String attribute = version == null ? "" : ";version=" + version;
        Stream<String> current = Stream.of("org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi")
                .map(p -> p + attribute);
        Stream<String> compatible = Stream.of("org.slf4j", "org.slf4j.spi").map(p -> p + ";version=" + SLF4J_1_API);
        return Stream.concat(current, compatible).collect(java.util.stream.Collectors.joining(","));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete the framework storage {}: {}", root, e.getMessage());
        }
    }

    /** Options of a runtime; {@link #start()} starts it. */
    public static final class Builder {
        private final Path home;
        private List<String> features = List.of("pytorch");
        private Path featuresDir;
        private Path storage;
        private Path deployDir;
        private Path modelsDir;
        private final Map<String, String> frameworkProperties = new HashMap<>();
        private final Map<String, String> systemProperties = new HashMap<>();
        private final List<String> hostPackages = new java.util.ArrayList<>();
        private final List<String> hostPackagesOf = new java.util.ArrayList<>();
        private FrameworkFactory frameworkFactory;
        private Duration readyTimeout = Duration.ofSeconds(60);
        private boolean interactiveShell;

        private Builder(Path home) {
            if (!Files.isDirectory(home.resolve("bundles"))) {
                throw new IllegalArgumentException("no runtime home at " + home.toAbsolutePath()
                        + " (it needs bundles/); build it with 'mvn -q install -DskipTests' at the repository root");
            }
            this.home = home;
        }

        /**
         * Exports a package of the host's class path through the system bundle, so that the host and the bundles
         * share its classes: an application embedding camkit exports {@code org.camkit.api} this way and uses the
         * {@code Explainer} service directly. Bundles then wire to the host's copy (same version, lowest id).
         *
         * @param packageClause e.g. {@code org.camkit.api;version=0.1.0}
         * @return this builder
         */
        public Builder hostPackage(String packageClause) {
            hostPackages.add(packageClause);
            return this;
        }

        /**
         * Exports through the system bundle every package a bundle of the runtime home exports, at the versions it
         * exports them: {@code hostPackagesOf("org.camkit.api")} lets an application that has the API jar on its class
         * path call the {@code Explainer} service directly. See {@link #hostPackage(String)}.
         *
         * @param bundle a Bundle-SymbolicName in {@code <home>/bundles}
         * @return this builder
         */
        public Builder hostPackagesOf(String bundle) {
            hostPackagesOf.add(bundle);
            return this;
        }

        /**
         * @param factory the OSGi framework to start, e.g. {@code new org.eclipse.osgi.launch.EquinoxFactory()};
         *                default: the one framework on the class path ({@link ServiceLoader}), Felix for the
         *                launcher's own class path
         * @return this builder
         */
        public Builder frameworkFactory(FrameworkFactory factory) {
            this.frameworkFactory = factory;
            return this;
        }

        /** @param names features to start, in order (default {@code pytorch}); includes come first */
        public Builder features(String... names) {
            return features(List.of(names));
        }

        /** @param names features to start, in order; includes come first */
        public Builder features(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("name at least one feature");
            }
            this.features = List.copyOf(names);
            return this;
        }

        /** @param dir where the feature files are (default {@code <home>/features}) */
        public Builder featuresDir(Path dir) {
            this.featuresDir = dir;
            return this;
        }

        /** @param dir the framework storage, cleaned at start (default: a temporary directory, deleted at stop) */
        public Builder storage(Path dir) {
            this.storage = dir;
            return this;
        }

        /** @param dir the directory FileInstall watches (default {@code <home>/deploy}); created if absent */
        public Builder deployDir(Path dir) {
            this.deployDir = dir;
            return this;
        }

        /** @param dir the model descriptors directory, framework property {@code camkit.models} (default ./models) */
        public Builder modelsDir(Path dir) {
            this.modelsDir = dir;
            return this;
        }

        /** @return this, with a framework property that overrides the defaults and the features' properties */
        public Builder frameworkProperty(String key, String value) {
            frameworkProperties.put(key, value);
            return this;
        }

        /** @return this, with a JVM system property set before the framework starts */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        /** @param timeout how long commands wait for the features' ready services (default 60 s) */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * @param interactive true to let the Gogo jline bundle open its console on the terminal (and stop the
         *                    framework when the user leaves it); false (default) for commands through
         *                    {@link CamkitRuntime#execute(String)} only
         */
        public Builder interactiveShell(boolean interactive) {
            this.interactiveShell = interactive;
            return this;
        }

        /**
         * Starts the framework and the features' bundles. A bundle that fails to start is logged and reported
         * by {@link CamkitRuntime#awaitReady()}; it does not stop the others.
         *
         * @return the running runtime
         * @throws IllegalArgumentException if a feature or a bundle is unknown
         * @throws IllegalStateException    if the framework cannot start
         */
        public CamkitRuntime start() {
            return new CamkitRuntime(this);
        }
    }
}
