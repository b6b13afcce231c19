package org.camkit.backend.tensorflow.internal;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.camkit.api.CamException;

// A model's session and graph: runs use them under the read lock (many at once); close frees them under the write lock.
final class ModelLock {

    private final String model;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    ModelLock(String model) {
        this.model = model;
    }

    /** Runs TensorFlow code under the read lock; refuses once the model is closed. */
    <T> T call(Supplier<T> action) {
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

    /**
     * Runs TensorFlow code under the read lock; its failures become one CamException naming the model and the step.
     *
     * @param what the step, e.g. {@code forward pass on Tensor[1, 3, 64, 64]}
     */
    <T> T run(String what, Supplier<T> action) {
        return call(() -> {
            try {
                return action.get();
            } catch (CamException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CamException("model '" + model + "': " + what + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** Runs {@code release} once, when no run holds the read lock. */
    void close(Runnable release) {
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
