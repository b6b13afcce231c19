package org.camkit.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.camkit.api.CamException;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds model descriptors (registered in the models directory, or given by path) and caches loaded models,
 * one per descriptor file version, until their backend leaves or the catalog closes.
 */
final class ModelCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    private record Key(Path descriptor, long modified) {
    }

    private record Cached(LoadedModel model, ModelBackend backend) {
    }

    /** A registered model: its descriptor and the file it came from. */
    record Registered(Path file, ModelDescriptor descriptor) {
    }

    private record Parsed(long modified, ModelDescriptor descriptor) {
    }

    private final Path directory;
    private final Map<Key, Cached> loaded = new ConcurrentHashMap<>();
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();

    /** @param directory the models directory; may be null (then only paths work) */
    ModelCatalog(Path directory) {
        this.directory = directory;
    }

    /** @return the registered descriptors, sorted by name; unreadable ones are logged and skipped */
    List<Registered> registered() {
        List<Registered> out = new ArrayList<>();
        for (Path json : descriptorFiles()) {
            try {
                out.add(new Registered(json, descriptor(json)));
            } catch (CamException e) {
                LOG.warn("skipping model descriptor: {}", e.getMessage());
            }
        }
        out.sort(Comparator.comparing(r -> r.descriptor().name()));
        return out;
    }

    /** @return the descriptor file of a registered name or a path (descriptor, or model file beside one) */
    Path descriptorFile(String model) {
        for (Path json : descriptorFiles()) {
            if (Descriptors.baseName(json).equals(model)) {
                return json;
            }
        }
        for (Registered r : registered()) {
            if (r.descriptor().name().equals(model)) {
                return r.file();
            }
        }
        Path path = Path.of(model);
        if (Files.isRegularFile(path)) {
            if (path.getFileName().toString().endsWith(".json")) {
                return path.toAbsolutePath();
            }
            Path sibling = path.resolveSibling(Descriptors.baseName(path) + ".json");
            if (Files.isRegularFile(sibling)) {
                return sibling.toAbsolutePath();
            }
            throw new CamException("model file '" + model + "' has no descriptor: write " + sibling
                    + " (backend, architecture, input size, mean/std, labels, default layer)");
        }
        throw new CamException("unknown model '" + model + "'; registered models: "
                + registered().stream().map(r -> r.descriptor().name()).toList()
                + " (in " + directory + "), or give the path of a model descriptor (.json)");
    }

    /**
     * @param json a descriptor file
     * @return its descriptor, parsed again only when the file's modification time changed
     * @throws CamException if it is unreadable or malformed
     */
    ModelDescriptor descriptor(Path json) {
        long modified = lastModified(json);
        Parsed cached = parsed.get(json);
        if (cached != null && cached.modified() == modified) {
            return cached.descriptor();
        }
        ModelDescriptor descriptor = Descriptors.read(json);
        parsed.put(json, new Parsed(modified, descriptor));
        return descriptor;
    }

    /** @return the loaded model, loading it with the backend on first use */
    LoadedModel load(Path descriptorFile, ModelDescriptor descriptor, ModelBackend backend) {
        Key key = new Key(descriptorFile, lastModified(descriptorFile));
        loaded.entrySet().removeIf(e -> {
            boolean stale = e.getKey().descriptor().equals(descriptorFile) && !e.getKey().equals(key);
            if (stale) {
                e.getValue().model().close();
            }
            return stale;
        });
        Cached cached = loaded.computeIfAbsent(key, k -> new Cached(backend.load(descriptor), backend));
        if (cached.backend() != backend) {
            loaded.remove(key, cached);
            cached.model().close();
            return load(descriptorFile, descriptor, backend);
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
