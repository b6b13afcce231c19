package org.camkit.rest.internal;

import java.util.List;
import org.camkit.api.ModelInfo;

// A registered model as the API shows it: what a client needs to send images and pick layers and labels, never the
// descriptor's path on the server.
record ModelView(String name, String backend, int inputWidth, int inputHeight, List<String> labels,
        String defaultLayer, boolean detector) {

    static ModelView of(ModelInfo model) {
        return new ModelView(model.name(), model.backend(), model.inputWidth(), model.inputHeight(), model.labels(),
                model.defaultLayer(), model.detector());
    }
}
