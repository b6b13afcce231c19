package org.camkit.core.internal;

import org.camkit.api.CamException;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;

/**
 * A model named in a request, resolved: its registration (descriptor and file) and the backend that loads it.
 *
 * @param catalog the catalog that caches the loaded model
 * @param model   the registration
 * @param backend the backend the descriptor names
 */
record ModelRef(ModelCatalog catalog, ModelCatalog.Registered model, PluginRegistry.Entry<ModelBackend> backend) {

    /**
     * @param catalog  the registered models
     * @param backends the registered backends
     * @param model    a registered model name or a descriptor path
     * @return the model's descriptor and backend; fails naming the model or backend and the known ones
     */
    static ModelRef resolve(ModelCatalog catalog, PluginRegistry<ModelBackend> backends, String model) {
        ModelCatalog.Registered registered = catalog.find(model);
        PluginRegistry.Entry<ModelBackend> backend;
        try {
            backend = backends.get(registered.descriptor().backend());
        } catch (CamException e) {
            throw registered.named(e);
        }
        return new ModelRef(catalog, registered, backend);
    }

    ModelDescriptor descriptor() {
        return model.descriptor();
    }

    /** @return the loaded model, from the catalog's cache when it was loaded before */
    LoadedModel load() {
        return catalog.load(model, backend.service());
    }
}
