package org.camkit.spi;

import java.util.Set;

/**
 * A model engine (PyTorch through DJL, TensorFlow, ...). Registered as a service named with
 * {@link org.camkit.spi.propertytypes.Backend}.
 *
 * @since 0.1
 */
public interface ModelBackend {

    /**
     * @return what this backend provides for the models it loads; never null
     */
    Set<Capability> capabilities();

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
