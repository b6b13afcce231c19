package org.camkit.backend.djl.internal;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.camkit.api.CamException;

// A model's native parameters: passes use them under the read lock (many at once); close frees them under the write lock.
final class ModelLock {

    private final String model;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    ModelLock(String model) {
        this.model = model;
    }

    /** Runs DJL code under the read lock, as context class loader; refuses once the model is closed. */
    <T> T call(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new CamException("model '" + model + "' is closed; load it again");
            }
            return ContextLoader.call(action);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code release} once, when no pass holds the read lock, as context class loader. */
    void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                ContextLoader.run(release);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
