package org.camkit.launcher;

import java.util.Hashtable;
import org.osgi.framework.BundleContext;

/**
 * The interactive shell's {@code exit}: without it, {@code exit} reaches {@code System.exit(int)} (which the default
 * Gogo profile adds as commands) and fails with "Cannot coerce exit() to any of [(int)]". Registered by the launcher
 * for its own shell only, in the scope Gogo searches first; the JVM belongs to the launcher, so exiting stops it, and
 * the runtime's shutdown hook stops the framework.
 */
public final class ShellExit {

    private ShellExit() {
    }

    static void register(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "gogo");
        properties.put("osgi.command.function", new String[] {"exit"});
        context.registerService(Object.class.getName(), new ShellExit(), properties);
    }

    /** Leaves the shell and stops camkit. */
    public void exit() {
        exit(0);
    }

    /**
     * Leaves the shell and stops camkit with an exit status.
     *
     * @param status the process's exit status
     */
    public void exit(int status) {
        System.exit(status);
    }
}
