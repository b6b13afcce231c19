package org.camkit.backend.tensorflow.internal;

import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.spi.ModelGuard;

// A model's session and graph: runs use them under the read lock (many at once); close frees them under the write lock.
final class ModelLock {

    private final String model;
    private final ModelGuard guard;

    ModelLock(String model) {
        this.model = model;
        this.guard = new ModelGuard(model);
    }

    /** Runs TensorFlow code under the guard; refuses once the model is closed. */
    <T> T call(Supplier<T> action) {
        return guard.call(action);
    }

    /**
     * Runs TensorFlow code under the guard; its failures become one CamException naming the model and the step.
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

    /** Runs {@code release} once, when no run uses the model. */
    void close(Runnable release) {
        guard.close(release);
    }
}
