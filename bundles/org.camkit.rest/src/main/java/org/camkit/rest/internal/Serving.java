package org.camkit.rest.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

// The API's configuration (RestConfig) and the workers it sets up; a new configuration takes effect for the next
// request while the running ones finish, and stopping cancels what runs and waits (503).
@Component(service = Serving.class, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
public final class Serving {
    private final Map<String, Workers.Tracked> requests = new ConcurrentHashMap<>();
    private volatile RestConfig config;
    private volatile Workers workers;

    /** @param config the limits */
    @Activate
    public Serving(RestConfig config) {
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

    Workers workers() {
        return workers;
    }

    private void configure(RestConfig c) {
        int concurrent = c.maxConcurrent() > 0 ? c.maxConcurrent() : Runtime.getRuntime().availableProcessors();
        this.config = c;
        this.workers = new Workers(concurrent, Math.max(0, c.queueLength()),
                Duration.ofSeconds(Math.max(1, c.timeoutSeconds())), requests);
    }
}
