package org.camkit.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camkit.api.CamException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins of one role, by name. Thread-safe. Several services with one name are ranked by
 * {@code service.ranking} (then lowest service id), and the shadowed one is logged, never silently lost.
 */
final class PluginRegistry<T> {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    /** A registered plugin. */
    record Entry<T>(String name, T service, ServiceReference<?> reference) {
        String bundle() {
            return reference.getBundle() == null ? "?" : reference.getBundle().getSymbolicName();
        }
    }

    private final String role;
    private final String property;
    private final Map<String, List<Entry<T>>> byName = new TreeMap<>();
    // when each name last lost its last service: a request for it soon after meets a bundle being updated
    private final Map<String, Long> departed = new HashMap<>();

    /** How long after a plugin went away a request for it is told to try again rather than that it is unknown. */
    static final Duration RETURNS_WITHIN = Duration.ofSeconds(30);

    PluginRegistry(String role, String property) {
        this.role = role;
        this.property = property;
    }

    synchronized void add(T service, ServiceReference<?> reference) {
        Object value = reference.getProperty(property);
        if (!(value instanceof String name) || name.isBlank()) {
            LOG.error("{} service from bundle {} has no '{}' property; it is ignored. Name it with the camkit "
                    + "component property type.", role, reference.getBundle().getSymbolicName(), property);
            return;
        }
        departed.remove(name);
        List<Entry<T>> entries = byName.computeIfAbsent(name, n -> new ArrayList<>());
        entries.add(new Entry<>(name, service, reference));
        entries.sort(Comparator.comparing(e -> e.reference(), Comparator.reverseOrder()));
        if (entries.size() > 1) {
            LOG.warn("{} '{}' is provided by {} services; using the one from bundle {} (highest service.ranking), "
                    + "shadowing {}", role, name, entries.size(), entries.get(0).bundle(),
                    entries.subList(1, entries.size()).stream().map(Entry::bundle).toList());
        }
    }

    synchronized void remove(T service) {
        byName.values().forEach(list -> list.removeIf(e -> e.service() == service));
        byName.entrySet().removeIf(e -> {
            if (e.getValue().isEmpty()) {
                departed.put(e.getKey(), System.nanoTime());
                return true;
            }
            return false;
        });
    }

    /** @return the highest-ranked plugin of that name; fails listing the known names */
    synchronized Entry<T> get(String name) {
        List<Entry<T>> entries = byName.get(name);
        Long gone = departed.get(name);
        long since = gone == null ? Long.MAX_VALUE : System.nanoTime() - gone;
        if (entries == null && since < RETURNS_WITHIN.toNanos()) {
            throw new CamException(CamException.Kind.UNAVAILABLE, role + " '" + name + "' went away "
                    + Duration.ofNanos(since).toMillis() + " ms ago (its bundle is being updated or "
                    + "restarted); try again shortly, or choose another: " + names(), name, names());
        }
        if (entries == null) {
            throw new CamException(CamException.Kind.UNKNOWN, "unknown " + role + " '" + name + "'; known " + role
                    + "s: " + names(), name, names());
        }
        return entries.get(0);
    }

    synchronized List<String> names() {
        return List.copyOf(byName.keySet());
    }

    synchronized List<Entry<T>> entries() {
        return byName.values().stream().map(list -> list.get(0)).toList();
    }
}
