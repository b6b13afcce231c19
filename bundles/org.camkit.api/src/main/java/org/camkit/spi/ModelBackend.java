package org.camkit.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model engine (PyTorch through DJL, TensorFlow, ...): an adapter from descriptors to {@link LoadedModel}s.
 * Registered as a service named with {@link org.camkit.spi.propertytypes.Backend}.
 *
 * @since 0.1
 */
@ConsumerType
public interface ModelBackend {

    /**
     * Loads a model. The caller owns the result and closes it; loading is expensive, so callers cache it.
     *
     * @param descriptor the model to load, its {@code backend} naming this backend
     * @return the loaded model, never null
     * @throws org.camkit.api.CamException if the file is missing or unreadable, or the architecture is unknown;
     *                                      the message names the file and the fix
     */
    LoadedModel load(ModelDescriptor descriptor);
}
