package org.camkit.rest.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// The bind address and port of configuration org.camkit.rest, when it sets them, passed on to the OSGi HTTP service
// (Felix HTTP Jetty's configuration org.apache.felix.http), so that one configuration says where the API listens.
// Without them the HTTP service keeps its own settings (framework properties: ./camkit serve --port --bind). The value
// each one replaced is kept beside it in the HTTP service's configuration; when bind or port is taken out of
// org.camkit.rest, or org.camkit.rest is deleted, that value comes back (the framework's, or what the HTTP service's
// configuration said before).
@Component(configurationPid = RestConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class HttpBinding {
    static final String HTTP_PID = "org.apache.felix.http";
    static final String HOST = "org.apache.felix.http.host";
    static final String PORT = "org.osgi.service.http.port";
    /** Before a key of the HTTP service's configuration: the value this binding replaced ("" for none). */
    static final String REPLACED = "camkit.rest.replaced.";
    private static final Logger LOG = LoggerFactory.getLogger(HttpBinding.class);

    private final ConfigurationAdmin configurations;
    private final BundleContext context;

    /**
     * @param configurations where the HTTP service's configuration is written
     * @param context        reads the framework properties the HTTP service starts with
     * @param properties     configuration org.camkit.rest as given (bind and port only when set)
     */
    @Activate
    public HttpBinding(@Reference ConfigurationAdmin configurations, BundleContext context,
            Map<String, Object> properties) {
        this.configurations = configurations;
        this.context = context;
        apply(properties);
    }

    @Modified
    void apply(Map<String, Object> properties) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(HOST, trimmed(properties.get("bind")));
        wanted.put(PORT, trimmed(properties.get("port")));
        try {
            Configuration http = configurations.getConfiguration(HTTP_PID, "?");
            Dictionary<String, Object> current = http.getProperties();
            Dictionary<String, Object> next = current == null ? new Hashtable<>() : current;
            if (current == null) { // the HTTP service runs on the framework properties: a same value changes nothing
                wanted.keySet().forEach(key -> setOrRemove(next, key, context.getProperty(key)));
            }
            boolean changed = false;
            for (Map.Entry<String, String> key : wanted.entrySet()) {
                changed |= key.getValue() != null ? replace(next, key.getKey(), key.getValue())
                        : restore(next, key.getKey());
            }
            if (changed) {
                LOG.info("the HTTP service now listens on {}:{} (configuration {})", next.get(HOST), next.get(PORT),
                        RestConfig.PID);
                http.update(next);
            }
        } catch (IOException e) {
            LOG.error("cannot configure the HTTP service ({}): {}", HTTP_PID, e.toString());
        }
    }

    /** Configuration org.camkit.rest deleted: the values it replaced come back; a bundle stop changes nothing. */
    @Deactivate
    void deactivate(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            apply(Map.of());
        }
    }

    /** Sets the key, keeping the value it replaces unless an earlier value of this binding is kept already. */
    private static boolean replace(Dictionary<String, Object> properties, String key, String value) {
        Object before = properties.get(key);
        if (Objects.equals(before, value)) {
            return false;
        }
        if (properties.get(REPLACED + key) == null) {
            properties.put(REPLACED + key, before == null ? "" : before.toString());
        }
        properties.put(key, value);
        return true;
    }

    /** Puts back the value this binding replaced, if it replaced one. */
    private static boolean restore(Dictionary<String, Object> properties, String key) {
        Object before = properties.remove(REPLACED + key);
        if (before == null) {
            return false;
        }
        setOrRemove(properties, key, before.toString().isEmpty() ? null : before.toString());
        return true;
    }

    private static void setOrRemove(Dictionary<String, Object> properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        } else {
            properties.remove(key);
        }
    }

    private static String trimmed(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
