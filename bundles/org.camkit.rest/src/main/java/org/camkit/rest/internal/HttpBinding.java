package org.camkit.rest.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
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
// Without them the HTTP service keeps its own settings (framework properties: ./camkit serve --port --bind); when
// they are taken out of org.camkit.rest, or org.camkit.rest is deleted, the address they had set goes back to the
// framework properties' (an HTTP service configuration written by someone else is left as it is).
@Component(configurationPid = RestConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class HttpBinding {
    static final String HTTP_PID = "org.apache.felix.http";
    static final String HOST = "org.apache.felix.http.host";
    static final String PORT = "org.osgi.service.http.port";
    /** Marks an HTTP service configuration whose address this binding set. */
    static final String SET_BY = "camkit.rest.binding";
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
        Object bind = properties.get("bind");
        Object port = properties.get("port");
        try {
            Configuration http = configurations.getConfiguration(HTTP_PID, "?");
            Dictionary<String, Object> current = http.getProperties();
            if (bind == null && port == null) {
                if (current != null && current.get(SET_BY) != null) { // what this binding had set goes back
                    current.remove(SET_BY);
                    setOrRemove(current, HOST, context.getProperty(HOST));
                    setOrRemove(current, PORT, context.getProperty(PORT));
                    update(http, current);
                }
                return;
            }
            Dictionary<String, Object> next = current == null ? new Hashtable<>() : current;
            if (current == null) { // the HTTP service runs on the framework properties: a same value changes nothing
                setOrRemove(next, HOST, context.getProperty(HOST));
                setOrRemove(next, PORT, context.getProperty(PORT));
            }
            boolean changed = put(next, HOST, bind == null ? null : bind.toString().trim())
                    | put(next, PORT, port == null ? null : port.toString().trim());
            if (changed) {
                next.put(SET_BY, RestConfig.PID);
                update(http, next);
            }
        } catch (IOException e) {
            LOG.error("cannot configure the HTTP service ({}): {}", HTTP_PID, e.toString());
        }
    }

    /** Configuration org.camkit.rest deleted: the address it had set goes back; a bundle stop changes nothing. */
    @Deactivate
    void deactivate(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            apply(Map.of());
        }
    }

    private static void update(Configuration http, Dictionary<String, Object> next) throws IOException {
        LOG.info("the HTTP service now listens on {}:{} (configuration {})", next.get(HOST), next.get(PORT),
                RestConfig.PID);
        http.update(next);
    }

    private static void setOrRemove(Dictionary<String, Object> properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        } else {
            properties.remove(key);
        }
    }

    private static boolean put(Dictionary<String, Object> properties, String key, String value) {
        if (value == null || Objects.equals(properties.get(key), value)) {
            return false;
        }
        properties.put(key, value);
        return true;
    }
}
