package org.camkit.spi;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.camkit.api.CamException;

/**
 * For backends: guards a loaded model's native resources. Passes use them under a read lock, many at once;
 * {@link #close} frees them once, under the write lock, when no pass runs; after that every pass is refused with a
 * clear error instead of touching freed memory.
 *
 * @since 0.2
 */
public final class ModelGuard {

    private final String model;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    /** @param model the model's name, for the error after close */
    public ModelGuard(String model) {
        this.model = model;
    }

    /**
     * @param action work on the model's resources
     * @param <T>    its result
     * @return the result
     * @throws CamException if the model is closed
     */
    public <T> T call(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new CamException("model '" + model + "' is closed; load it again");
            }
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @param release frees the resources; runs once, when no pass holds them */
    public void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
