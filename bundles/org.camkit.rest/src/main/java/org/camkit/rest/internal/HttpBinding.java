package org.camkit.rest.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// The bind address and port of configuration org.camkit.rest, when it sets them, passed on to the OSGi HTTP service
// (Felix HTTP Jetty's configuration org.apache.felix.http), so that one configuration says where the API listens.
// Without them the HTTP service keeps its own settings (framework properties: ./camkit serve --port --bind).
@Component(configurationPid = RestConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class HttpBinding {
    static final String HTTP_PID = "org.apache.felix.http";
    static final String HOST = "org.apache.felix.http.host";
    static final String PORT = "org.osgi.service.http.port";
    private static final Logger LOG = LoggerFactory.getLogger(HttpBinding.class);

    private final ConfigurationAdmin configurations;

    /**
     * @param configurations where the HTTP service's configuration is written
     * @param properties     configuration org.camkit.rest as given (bind and port only when set)
     */
    @Activate
    public HttpBinding(@Reference ConfigurationAdmin configurations, Map<String, Object> properties) {
        this.configurations = configurations;
        apply(properties);
    }

    @Modified
    void apply(Map<String, Object> properties) {
        Object bind = properties.get("bind");
        Object port = properties.get("port");
        if (bind == null && port == null) {
            return;
        }
        try {
            Configuration http = configurations.getConfiguration(HTTP_PID, "?");
            Dictionary<String, Object> current = http.getProperties();
            Dictionary<String, Object> next = current == null ? new Hashtable<>() : current;
            boolean changed = put(next, HOST, bind == null ? null : bind.toString().trim())
                    | put(next, PORT, port == null ? null : port.toString().trim());
            if (changed) {
                LOG.info("the HTTP service now listens on {}:{} (configuration {})", next.get(HOST), next.get(PORT),
                        RestConfig.PID);
                http.update(next);
            }
        } catch (IOException e) {
            LOG.error("cannot configure the HTTP service ({}): {}", HTTP_PID, e.toString());
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
