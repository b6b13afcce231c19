package org.camkit.backend.djl.internal;

import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Backend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code pytorch} engine baseline: DJL's own forward to the layer, the layer's output made a gradient leaf, the
 * rest of the network, and libtorch's backward of the top class to it ({@link RawNetwork}); the forward and the
 * backward (with reading the gradient) are timed apart.
 */
@Component(service = EngineBaseline.class)
@Backend("pytorch")
public final class DjlBaseline implements EngineBaseline {

    /** Creates the baseline; libtorch loads with the first network. */
    @Activate
    public DjlBaseline() {
    }

    @Override
    public Network load(ModelDescriptor model, String layer, Tensor input) {
        return RawNetwork.load(model, layer, input);
    }
}
