package org.camkit.launcher;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// FileInstall skips a jar in the deploy folder that is not an OSGi bundle without a word. This logs one line for each
// such jar: those there at start, and each one dropped or rewritten while the runtime runs.
final class DeployCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeployCheck.class);
    private final WatchService watcher;
    private final Thread thread;

    private DeployCheck(WatchService watcher, Thread thread) {
        this.watcher = watcher;
        this.thread = thread;
    }

    /** Checks the jars in {@code deploy} now and watches it for more; null (logged) if it cannot watch. */
    static DeployCheck start(Path deploy) {
        try (Stream<Path> files = Files.list(deploy)) {
            files.sorted().forEach(DeployCheck::report);
        } catch (IOException e) {
            LOG.warn("cannot list the deploy folder {}: {}", deploy, e.getMessage());
        }
        try {
            WatchService watcher = FileSystems.getDefault().newWatchService();
            deploy.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Thread thread = new Thread(() -> watch(watcher, deploy), "camkit-deploy-check");
            thread.setDaemon(true);
            thread.start();
            return new DeployCheck(watcher, thread);
        } catch (IOException e) {
            LOG.warn("cannot watch the deploy folder {} for jars that are not bundles: {}", deploy, e.getMessage());
            return null;
        }
    }

    private static void watch(WatchService watcher, Path deploy) {
        Map<Path, Object> checked = new HashMap<>(); // each version of a file once (creating it modifies it too)
        try {
            while (true) {
                WatchKey key = watcher.take();
                Thread.sleep(200); // let the copy finish
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name) {
                        Path file = deploy.resolve(name);
                        if (!Objects.equals(checked.put(file, version(file)), version(file))) {
                            report(file);
                        }
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed with the runtime
        }
    }

    private static Object version(Path file) {
        try {
            return List.of(Files.getLastModifiedTime(file), Files.size(file));
        } catch (IOException e) {
            return null;
        }
    }

    private static void report(Path file) {
        String problem = problem(file);
        if (problem != null) {
            LOG.warn("{} {}, so it adds nothing to camkit: build it as an OSGi bundle (e.g. with bnd-maven-plugin, "
                    + "as examples/ does) or remove it", file, problem);
        }
    }

    /** @return why {@code file}, a jar in the deploy folder, is not a bundle; null if it is one, or not a jar */
    static String problem(Path file) {
        if (!file.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(file)) {
            return null;
        }
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "is not an OSGi bundle: it has no manifest";
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "is not an OSGi bundle: its manifest has no Bundle-SymbolicName";
            }
            return null;
        } catch (IOException e) {
            return "is not a readable jar (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the deploy folder's watcher: {}", e.getMessage());
        }
        thread.interrupt();
    }
}
