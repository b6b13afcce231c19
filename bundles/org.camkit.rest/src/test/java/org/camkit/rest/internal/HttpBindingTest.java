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
import org.osgi.service.component.ComponentConstants;

// Which settings HttpBinding writes into the HTTP service's configuration, with Configuration Admin and the
// framework's properties stood in for (the binding itself is pure logic; RestIT runs the real HTTP service).
class HttpBindingTest {
    private final Map<String, String> framework = new HashMap<>();
    private Dictionary<String, Object> stored;
    private final List<Map<String, Object>> updates = new ArrayList<>();

    private static final String HOST_BEFORE = HttpBinding.REPLACED + HttpBinding.HOST;
    private static final String PORT_BEFORE = HttpBinding.REPLACED + HttpBinding.PORT;

    @Test
    void withoutBindOrPortTheHttpServiceKeepsItsOwnSettings() {
        framework.put(HttpBinding.PORT, "8080");
        binding(Map.of("token", "x", "maxImages", "4", "bind", " "));
        assertEquals(List.of(), updates);
    }

    @Test
    void aPortIsWrittenBesideTheHostTheServiceStartedWithAndThePortItReplacedIsKept() {
        framework.put(HttpBinding.HOST, "127.0.0.1");
        framework.put(HttpBinding.PORT, "8080");
        binding(Map.of("port", " 9090 "));
        assertEquals(List.of(Map.of(HttpBinding.HOST, "127.0.0.1", HttpBinding.PORT, "9090", PORT_BEFORE, "8080")),
                updates);
    }

    @Test
    void theSameAddressAsTheServiceHasChangesNothingAndANewOneIsWrittenOnce() {
        framework.put(HttpBinding.HOST, "127.0.0.1");
        framework.put(HttpBinding.PORT, "8080");
        HttpBinding binding = binding(Map.of("bind", "127.0.0.1", "port", "8080"));
        assertEquals(List.of(), updates, "the framework's own address: no restart of the HTTP service");

        binding.apply(Map.of("bind", "0.0.0.0"));
        binding.apply(Map.of("bind", "0.0.0.0"));
        assertEquals(List.of(Map.of(HttpBinding.HOST, "0.0.0.0", HttpBinding.PORT, "8080", HOST_BEFORE, "127.0.0.1")),
                updates);
    }

    @Test
    void anExistingConfigurationOfTheServiceKeepsItsOtherSettings() {
        stored = new Hashtable<>(Map.of(HttpBinding.PORT, "8080", "org.apache.felix.http.timeout", "30000"));
        binding(Map.of("port", "9090"));
        assertEquals(List.of(Map.of(HttpBinding.PORT, "9090", "org.apache.felix.http.timeout", "30000",
                PORT_BEFORE, "8080")), updates);
        assertNull(updates.get(0).get(HttpBinding.HOST), "no host taken from the framework when configured");
    }

    @Test
    void anAddressTakenOutOfTheConfigurationGoesBackToTheFrameworksOwn() {
        framework.put(HttpBinding.PORT, "8080");
        HttpBinding binding = binding(Map.of("port", "9090", "bind", "127.0.0.1"));
        binding.apply(Map.of("token", "x"));
        assertEquals(Map.of(HttpBinding.PORT, "8080"), updates.get(updates.size() - 1), "no host: Jetty's default");
        binding.apply(Map.of("token", "y"));
        assertEquals(2, updates.size(), "once back, nothing more to take back");
    }

    @Test
    void aBindTakenOutAloneGoesBackWhileThePortStays() {
        framework.put(HttpBinding.HOST, "127.0.0.1");
        framework.put(HttpBinding.PORT, "8080");
        HttpBinding binding = binding(Map.of("port", "9090", "bind", "0.0.0.0"));
        binding.apply(Map.of("port", "9090"));
        assertEquals(Map.of(HttpBinding.HOST, "127.0.0.1", HttpBinding.PORT, "9090", PORT_BEFORE, "8080"),
                updates.get(updates.size() - 1));
    }

    @Test
    void deletingTheConfigurationTakesItsAddressBackAndABundleStopDoesNot() {
        framework.put(HttpBinding.PORT, "8080");
        binding(Map.of("port", "9090")).deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        assertEquals(1, updates.size(), "a stop (an update of the bundle) keeps the address");
        binding(Map.of("port", "9090")).deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(Map.of(HttpBinding.PORT, "8080"), updates.get(updates.size() - 1));
    }

    @Test
    void anHttpServiceConfigurationSomeoneElseWroteGetsItsOwnValueBack() {
        framework.put(HttpBinding.PORT, "8080");
        stored = new Hashtable<>(Map.of(HttpBinding.PORT, "7070", "org.apache.felix.http.timeout", "30000"));
        binding(Map.of("token", "x")).deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(List.of(), updates, "nothing of it replaced, nothing to take back");

        binding(Map.of("port", "9090")).deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(Map.of(HttpBinding.PORT, "7070", "org.apache.felix.http.timeout", "30000"),
                updates.get(updates.size() - 1), "its own port, not the framework's");
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
