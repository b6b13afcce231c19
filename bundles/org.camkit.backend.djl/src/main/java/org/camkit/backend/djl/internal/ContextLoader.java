package org.camkit.backend.djl.internal;

import java.util.function.Supplier;

// Runs DJL code with this bundle's class loader as the thread context class loader (DJL finds engines through it).
final class ContextLoader {

    private ContextLoader() {
    }

    static <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ContextLoader.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
