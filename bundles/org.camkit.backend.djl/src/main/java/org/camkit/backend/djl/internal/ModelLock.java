package org.camkit.backend.djl.internal;

import java.util.function.Supplier;
import org.camkit.spi.ModelGuard;

// A model's native parameters: passes use them under the read lock (many at once); close frees them under the write lock.
final class ModelLock {

    private final ModelGuard guard;

    ModelLock(String model) {
        this.guard = new ModelGuard(model);
    }

    /**
     * Runs DJL code under the guard, as context class loader, in oneDNN's forward phase (see OneDnn); refuses once the
     * model is closed.
     */
    <T> T call(Supplier<T> action) {
        return guard.call(() -> ContextLoader.call(() -> OneDnn.forward(action)));
    }

    /** Runs {@code release} once, when no pass uses the model, as context class loader. */
    void close(Runnable release) {
        guard.close(() -> ContextLoader.run(release));
    }
}
