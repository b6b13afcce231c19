package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

// Which settings HttpBinding writes into the HTTP service's configuration, with Configuration Admin and the
// framework's properties stood in for (the binding itself is pure logic; RestIT runs the real HTTP service).
class HttpBindingTest {
    private final Map<String, String> framework = new HashMap<>();
    private Dictionary<String, Object> stored;
    private final List<Map<String, Object>> updates = new ArrayList<>();

    @Test
    void withoutBindOrPortTheHttpServiceKeepsItsOwnSettings() {
        framework.put(HttpBinding.PORT, "8080");
        binding(Map.of("token", "x", "maxImages", "4"));
        assertEquals(List.of(), updates);
    }

    @Test
    void aPortIsWrittenBesideTheHostTheServiceStartedWith() {
        framework.put(HttpBinding.HOST, "127.0.0.1");
        framework.put(HttpBinding.PORT, "8080");
        binding(Map.of("port", " 9090 "));
        assertEquals(List.of(Map.of(HttpBinding.HOST, "127.0.0.1", HttpBinding.PORT, "9090")), updates);
    }

    @Test
    void theSameAddressAsTheServiceHasChangesNothingAndANewOneIsWrittenOnce() {
        framework.put(HttpBinding.HOST, "127.0.0.1");
        framework.put(HttpBinding.PORT, "8080");
        HttpBinding binding = binding(Map.of("bind", "127.0.0.1", "port", "8080"));
        assertEquals(List.of(), updates, "the framework's own address: no restart of the HTTP service");

        binding.apply(Map.of("bind", "0.0.0.0"));
        binding.apply(Map.of("bind", "0.0.0.0"));
        assertEquals(List.of(Map.of(HttpBinding.HOST, "0.0.0.0", HttpBinding.PORT, "8080")), updates);
    }

    @Test
    void anExistingConfigurationOfTheServiceKeepsItsOtherSettings() {
        stored = new Hashtable<>(Map.of(HttpBinding.PORT, "8080", "org.apache.felix.http.timeout", "30000"));
        binding(Map.of("port", "9090"));
        assertEquals(List.of(Map.of(HttpBinding.PORT, "9090", "org.apache.felix.http.timeout", "30000")), updates);
        assertNull(updates.get(0).get(HttpBinding.HOST), "no host taken from the framework when configured");
    }

    private HttpBinding binding(Map<String, Object> properties) {
        Configuration http = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> stored == null ? null : copy(stored);
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> next = (Dictionary<String, Object>) args[0];
                        stored = copy(next);
                        Map<String, Object> seen = new HashMap<>();
                        for (String key : java.util.Collections.list(next.keys())) {
                            seen.put(key, next.get(key));
                        }
                        updates.add(seen);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration") && HttpBinding.HTTP_PID.equals(args[0])) {
                        return http;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return framework.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new HttpBinding(admin, context, properties);
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (String key : java.util.Collections.list(d.keys())) {
            out.put(key, d.get(key));
        }
        return out;
    }
}
