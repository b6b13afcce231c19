package org.camkit.rest.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

// The API's configuration (RestConfig): its token, and the workers it sets up. A new configuration takes effect for
// the next request while the running ones finish (token and limits at once: one component holds both), and stopping
// cancels what runs and waits (503).
@Component(service = Serving.class, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
public final class Serving {
    /** The framework property with the token when the configuration has none: ./camkit serve sets it. */
    static final String TOKEN_PROPERTY = "camkit.rest.token";

    private final Map<String, Workers.Tracked> requests = new ConcurrentHashMap<>();
    private final String tokenProperty;
    private volatile RestConfig config;
    private volatile String token;
    private volatile Workers workers;

    /**
     * @param config  the limits and the token
     * @param context reads the token from the framework property {@value #TOKEN_PROPERTY} if the configuration has
     *                none
     */
    @Activate
    public Serving(RestConfig config, BundleContext context) {
        String property = context.getProperty(TOKEN_PROPERTY);
        tokenProperty = property == null ? "" : property.trim();
        configure(config);
    }

    @Modified
    void modified(RestConfig changed) {
        Workers before = workers;
        configure(changed);
        before.retire();
    }

    @Deactivate
    void deactivate() {
        workers.close();
    }

    RestConfig config() {
        return config;
    }

    /** @return the token every /v1 request must bear, "" for none */
    String token() {
        return token;
    }

    Workers workers() {
        return workers;
    }

    private void configure(RestConfig c) {
        int concurrent = c.maxConcurrent() > 0 ? c.maxConcurrent() : Runtime.getRuntime().availableProcessors();
        this.config = c;
        this.token = !c.token().isBlank() ? c.token().trim() : tokenProperty;
        this.workers = new Workers(concurrent, Math.max(0, c.queueLength()),
                Duration.ofSeconds(Math.max(1, c.timeoutSeconds())), requests);
    }
}
