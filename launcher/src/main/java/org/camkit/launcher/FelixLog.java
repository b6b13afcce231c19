package org.camkit.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.LoggerFactory;

// Routes the Felix framework's own log to SLF4J, so that stdout carries only command output.
final class FelixLog extends Logger {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        write(level, bundle == null ? msg : bundle.getSymbolicName() + ": " + msg, throwable);
    }

    // What Felix logs without a bundle (the bundle cache, the resolver) arrives here, not in the method above.
    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        if (unreadableEmbeddedJar(msg, throwable)) {
            LOG.debug("{} ({})", msg, throwable.getMessage());
            return;
        }
        write(level, msg, throwable);
    }

    private static void write(int level, String text, Throwable throwable) {
        switch (level) {
            case LOG_ERROR -> LOG.error(text, throwable);
            case LOG_WARNING -> LOG.warn(text, throwable);
            case LOG_INFO -> LOG.info(text, throwable);
            default -> LOG.debug(text, throwable);
        }
    }

    // The JAX-RS API bundle of the feature 'rest' (org.apache.aries.javax.jax.rs-api, every release) embeds a
    // geronimo-osgi-locator.jar whose ZIP extra fields Java 17.0.8+ refuses ("Invalid CEN header"). The bundle then
    // runs without it, as it must: the JAX-RS Whiteboard provides the RuntimeDelegate. Felix would report it as an
    // error with a stack trace on every start.
    private static boolean unreadableEmbeddedJar(String msg, Throwable throwable) {
        return "Unable to extract embedded JAR file.".equals(msg) && throwable != null
                && String.valueOf(throwable.getMessage()).contains("Invalid CEN header");
    }
}
