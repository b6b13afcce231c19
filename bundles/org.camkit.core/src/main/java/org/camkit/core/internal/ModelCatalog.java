package org.camkit.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camkit.api.CamException;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds model descriptors (JSON files in the models directory, {@code .cfg} registrations through Config Admin,
 * or a path given in a request) and caches loaded models, one per descriptor version, until their backend leaves or
 * the catalog closes.
 */
final class ModelCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    private record Key(Path descriptor, long version) {
    }

    private record Cached(LoadedModel model, ModelBackend backend) {
    }

    /**
     * A model camkit knows: its descriptor, where it came from and which version of that source.
     *
     * @param file       the descriptor file, or the {@code .cfg} file of a configured model
     * @param descriptor the descriptor
     * @param version    changes when the source changes (file modification time, configuration change count)
     */
    record Registered(Path file, ModelDescriptor descriptor, long version) {

        /**
         * @param e a failure of this model (its backend missing, its file not loading)
         * @return it, naming the model and where it is described: {@code model 'name' (file): ...}
         */
        CamException named(CamException e) {
            String model = "model '" + descriptor.name() + "'";
            String message = e.getMessage();
            return new CamException(model + " (" + file + ")"
                    + (message.startsWith(model) ? message.substring(model.length()) : ": " + message), e);
        }
    }

    /**
     * A configuration that registers no model because it is invalid.
     *
     * @param name   the model name it gives (or its file's name)
     * @param file   the {@code .cfg} file
     * @param reason why it is invalid
     */
    record Broken(String name, Path file, CamException reason) {
    }

    private record Parsed(long modified, ModelDescriptor descriptor) {
    }

    private final Path directory;
    private final Limits limits;
    private final Map<Key, Cached> loaded = new ConcurrentHashMap<>();
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();
    private final Map<Object, Registered> configured = new ConcurrentHashMap<>();
    private final Map<Object, Broken> broken = new ConcurrentHashMap<>();
    private final Set<List<Path>> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param directory the models directory; may be null (then only paths work)
     * @param limits    a model whose input is larger is refused when it is looked up
     */
    ModelCatalog(Path directory, Limits limits) {
        this.directory = directory;
        this.limits = limits;
    }

    /**
     * Registers a model from a configuration ({@code deploy/*.cfg}); it replaces any earlier one with the same key.
     *
     * @param key    identifies the registration (the configuration)
     * @param model  the model
     */
    void register(Object key, Registered model) {
        broken.remove(key);
        configured.put(key, model);
    }

    /**
     * Records a configuration that registers no model, so that asking for its model says why.
     *
     * @param key    identifies the registration (the configuration)
     * @param reason the invalid configuration
     */
    void register(Object key, Broken reason) {
        unregister(key);
        broken.put(key, reason);
    }

    /** @param key a registration to remove, with its loaded model */
    void unregister(Object key) {
        broken.remove(key);
        Registered gone = configured.remove(key);
        if (gone != null) {
            loaded.entrySet().removeIf(e -> {
                boolean stale = e.getKey().descriptor().equals(gone.file());
                if (stale) {
                    e.getValue().model().close();
                }
                return stale;
            });
        }
    }

    /**
     * @return the registered models, sorted by name; where two give the same name, the descriptor in the models
     *         folder first, then the {@code .cfg}s (a warning names both, once); unreadable descriptor files are
     *         logged and skipped
     */
    List<Registered> registered() {
        List<Registered> out = new ArrayList<>();
        for (Path json : descriptorFiles()) {
            try {
                out.add(fromFile(json));
            } catch (CamException e) {
                LOG.warn("skipping model descriptor: {}", e.getMessage());
            }
        }
        configured.values().stream().sorted(Comparator.comparing(r -> r.file().toString())).forEach(out::add);
        out.sort(Comparator.comparing(r -> r.descriptor().name())); // stable: the order above within a name
        out.stream().collect(Collectors.groupingBy(r -> r.descriptor().name(), LinkedHashMap::new,
                Collectors.mapping(Registered::file, Collectors.toList()))).forEach((name, sources) -> {
                    if (sources.size() > 1 && warned.add(sources)) {
                        LOG.warn("model name '{}' is given by {}; it means the first: rename the others", name,
                                sources);
                    }
                });
        return out;
    }

    /**
     * @param model a registered name, or a path (a descriptor, or a model file with a descriptor beside it)
     * @return the model
     * @throws CamException if there is no such model, naming the registered ones, or if its input is larger than
     *                      the limits (before anything is loaded, decoded or resized to it)
     */
    Registered find(String model) {
        Registered found = lookup(model);
        try {
            limits.checkModel(found.descriptor());
        } catch (CamException e) {
            throw found.named(e);
        }
        return found;
    }

    private Registered lookup(String model) {
        if (model.indexOf('/') >= 0 || model.indexOf('\\') >= 0) {
            Registered byPath = byPath(model);
            if (byPath != null) {
                return byPath; // a path: no need to list the models folder
            }
        }
        for (Path json : descriptorFiles()) {
            if (Descriptors.baseName(json).equals(model)) {
                return fromFile(json);
            }
        }
        for (Registered r : registered()) {
            if (r.descriptor().name().equals(model)) {
                return r;
            }
        }
        Registered byPath = byPath(model);
        if (byPath != null) {
            return byPath;
        }
        for (Broken b : broken.values()) {
            if (b.name().equals(model)) {
                throw new CamException("model '" + model + "' is not registered: " + b.reason().getMessage(),
                        b.reason());
            }
        }
        Path path = pathOf(model);
        if (path != null && (model.indexOf('/') >= 0 || model.indexOf('\\') >= 0 || model.endsWith(".json"))) {
            throw new CamException("model descriptor '" + model + "' does not exist: looked for "
                    + path.toAbsolutePath().normalize() + (path.isAbsolute() ? "" : " (relative to the working "
                            + "directory " + Path.of("").toAbsolutePath() + ")")
                    + "; give an existing path, or a registered model: "
                    + registered().stream().map(r -> r.descriptor().name()).toList());
        }
        List<String> names = registered().stream().map(r -> r.descriptor().name()).toList();
        throw new CamException(CamException.Kind.UNKNOWN, "unknown model '" + model + "'; registered models: "
                + names + " (in " + directory + "), or give the path of a model descriptor (.json)", model, names);
    }

    /** @return the model a path names (a descriptor, or a model file with one beside it), or null if no file */
    private Registered byPath(String model) {
        Path path = pathOf(model);
        if (path != null && Files.isRegularFile(path)) {
            if (path.getFileName().toString().endsWith(".json")) {
                return fromFile(path.toAbsolutePath());
            }
            Path sibling = path.resolveSibling(Descriptors.baseName(path) + ".json");
            if (Files.isRegularFile(sibling)) {
                return fromFile(sibling.toAbsolutePath());
            }
            throw new CamException("model file '" + model + "' has no descriptor: write " + sibling
                    + " (backend, architecture, input size, mean/std, labels, default layer)");
        }
        return null;
    }

    /** @return the path {@code model} names, or null when it cannot be a path */
    private static Path pathOf(String model) {
        try {
            return Path.of(model);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * @param json a descriptor file
     * @return it as a model, parsed again only when the file's modification time changed
     * @throws CamException if it is unreadable or malformed
     */
    Registered fromFile(Path json) {
        long modified = lastModified(json);
        Parsed cached = parsed.get(json);
        if (cached == null || cached.modified() != modified) {
            cached = new Parsed(modified, Descriptors.read(json));
            parsed.put(json, cached);
        }
        return new Registered(json, cached.descriptor(), modified);
    }

    /** @return the loaded model, loading it with the backend on first use */
    LoadedModel load(Registered model, ModelBackend backend) {
        Path descriptorFile = model.file();
        ModelDescriptor descriptor = model.descriptor();
        Key key = new Key(descriptorFile, model.version());
        loaded.entrySet().removeIf(e -> {
            boolean stale = e.getKey().descriptor().equals(descriptorFile) && !e.getKey().equals(key);
            if (stale) {
                e.getValue().model().close();
            }
            return stale;
        });
        Cached cached = loaded.computeIfAbsent(key, k -> {
            try {
                return new Cached(backend.load(descriptor), backend);
            } catch (CamException e) {
                throw model.named(e);
            }
        });
        if (cached.backend() != backend) {
            loaded.remove(key, cached);
            cached.model().close();
            return load(model, backend);
        }
        return cached.model();
    }

    /** Closes the models a departing backend loaded. */
    void release(ModelBackend backend) {
        loaded.entrySet().removeIf(e -> {
            if (e.getValue().backend() == backend) {
                e.getValue().model().close();
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        loaded.values().forEach(c -> c.model().close());
        loaded.clear();
    }

    private List<Path> descriptorFiles() {
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new CamException("models directory '" + directory + "' is not readable: " + e.getMessage(), e);
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new CamException("model descriptor '" + file + "' is not readable: " + e.getMessage(), e);
        }
    }
}
