package org.camkit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.camkit.launcher.CamkitRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests the one {@link CamkitRuntime} of this JVM: feature {@code rest} (feature
 * {@code all}, both backends, and the REST API on a free loopback port: {@link #restBase()}), started on first use and
 * shared by every test class, stopped when the test run ends.
 *
 * <p>Use {@code @ExtendWith(FelixRuntime.class)} and take a {@link CamkitRuntime} parameter (in a test, a
 * lifecycle method or a constructor), or call {@link #runtime()}. Drop bundles and {@code .cfg} files into
 * {@link #deployDir()} (FileInstall polls it every 500 ms) and remove them when the test is done.
 *
 * <p>The test class path's {@code org.camkit.api} packages are exported by the system bundle, as an application
 * embedding camkit does, so tests call the {@link org.camkit.api.Explainer} service directly ({@link #explainer()}).
 *
 * <p>One runtime per JVM, held in a static field on purpose: native engines load once per JVM, so a second
 * framework in the same JVM must never start. The runtime is configured by the system properties the pom sets:
 * {@code camkit.home} (the runtime home built by the launcher module), {@code camkit.models},
 * {@code camkit.features}.
 */
public final class FelixRuntime implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FelixRuntime.class);
    private static CamkitRuntime runtime;
    private static RuntimeException startFailure;
    private static Path deployDir;

    /**
     * @return the running runtime, ready for commands (its features' services registered)
     * @throws IllegalStateException if it did not start or become ready; every later call rethrows the same failure
     */
    public static synchronized CamkitRuntime runtime() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (runtime == null) {
            try {
                deployDir = Files.createTempDirectory("camkit-it-deploy-");
                Path home = Path.of(property("camkit.home", "../launcher/target/camkit"));
                CamkitRuntime.Builder builder = CamkitRuntime.builder(home)
                        .features("rest")
                        // a free port, chosen by Jetty when it binds (no race with other processes)
                        .frameworkProperty("org.osgi.service.http.port", "0")
                        .featuresDir(Path.of(property("camkit.features", "../features")))
                        .modelsDir(Path.of(property("camkit.models", "../models")))
                        .deployDir(deployDir);
                // the tests embed camkit like an application: they share the API classes with the bundles, at the
                // versions the API bundle exports
                builder.hostPackagesOf("org.camkit.api");
                runtime = builder.start();
                Runtime.getRuntime().addShutdownHook(new Thread(FelixRuntime::stop, "camkit-it-stop"));
                runtime.awaitReady();
            } catch (IOException e) {
                startFailure = new UncheckedIOException("cannot create the deploy directory", e);
                throw startFailure;
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return runtime;
    }

    /** @return the runtime's Explainer service */
    public static org.camkit.api.Explainer explainer() {
        return service(org.camkit.api.Explainer.class);
    }

    /**
     * @param type a service type the host sees (from a package the system bundle exports)
     * @param <T>  the type
     * @return the runtime's service of that type
     */
    public static <T> T service(Class<T> type) {
        org.osgi.framework.BundleContext context = runtime().context();
        org.osgi.framework.ServiceReference<T> reference = context.getServiceReference(type);
        if (reference == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " service visible to the host: is "
                    + "org.camkit.api exported by the system bundle and the core bundle active?");
        }
        return context.getService(reference);
    }

    /**
     * @return the base URI of the runtime's REST API, e.g. {@code http://127.0.0.1:41234/}: the port Jetty bound.
     *         While the HTTP service restarts (a test moved its port) the JAX-RS Whiteboard publishes no endpoint for
     *         a moment; this waits up to 30 s for one.
     * @throws IllegalStateException if the JAX-RS Whiteboard publishes no endpoint within 30 s
     */
    public static java.net.URI restBase() {
        try {
            return awaitValue(() -> runtime().httpEndpoint(), java.time.Duration.ofSeconds(30),
                    "the JAX-RS Whiteboard to publish an endpoint (a JaxrsServiceRuntime with osgi.jaxrs.endpoint)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the REST API's endpoint", e);
        }
    }

    /** @return the directory FileInstall of the runtime watches */
    public static Path deployDir() {
        runtime();
        return deployDir;
    }

    /**
     * Waits up to 30 s for something the runtime does asynchronously (FileInstall, a bundle's services, an HTTP
     * service restart), as {@link #awaitValue}.
     *
     * @param condition true once it has happened
     * @param what      what is awaited, for the failure
     */
    public static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        awaitValue(() -> condition.getAsBoolean() ? java.util.Optional.of(true) : java.util.Optional.empty(),
                java.time.Duration.ofSeconds(30), what);
    }

    /**
     * Polls every 100 ms until the value is there. A supplier that throws a RuntimeException (a connection refused
     * while the server restarts) has no value yet; the last such exception is the failure's cause.
     *
     * @param value  the value once it is there
     * @param within how long to wait
     * @param what   what is awaited, for the failure
     * @param <T>    the value's type
     * @return the value
     * @throws AssertionError if it is not there in time
     */
    public static <T> T awaitValue(java.util.function.Supplier<java.util.Optional<T>> value, java.time.Duration within,
            String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                java.util.Optional<T> got = value.get();
                if (got.isPresent()) {
                    return got.get();
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what, last);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        runtime();
        // the root store closes its resources once, after the last test class of the run
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Stopper.class, k -> new Stopper(), Stopper.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CamkitRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return runtime();
    }

    private static synchronized void stop() {
        if (runtime != null) {
            runtime.stop();
            runtime = null;
            deleteTree(deployDir);
            startFailure = new IllegalStateException("the camkit runtime of this JVM has stopped; a second one must "
                    + "not start in the same JVM");
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static String property(String key, String fallback) {
        return System.getProperty(key, fallback);
    }

    // Stops the runtime when JUnit closes the root store.
    private static final class Stopper implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stop();
        }
    }
}
