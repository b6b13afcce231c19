package org.camkit.backend.tensorflow.internal;

import org.camkit.api.CamException;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Backend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.SavedModelBundle;

/**
 * The {@code tensorflow} engine baseline: TensorFlow's own forward and gradient of the top class at a layer, one
 * Session run per pass ({@link RawGradient}), for the architectures {@code savedmodel}, {@code frozen} and
 * {@code keras}.
 */
@Component(service = EngineBaseline.class)
@Backend("tensorflow")
public final class TfBaseline implements EngineBaseline {

    /** Creates the baseline; TensorFlow loads with the first network. */
    @Activate
    public TfBaseline() {
    }

    @Override
    public Network load(ModelDescriptor model, String layer, Tensor input) {
        if (input.rank() != 4 || input.dim(0) != 1 || input.dim(1) != 3) {
            throw new CamException("model '" + model.name() + "': the TensorFlow engine baseline runs on one image "
                    + "[1, 3, H, W], got " + input);
        }
        TensorFlowRuntime.load();
        return switch (model.architecture()) {
            case KerasModel.ID -> RawGradient.keras(model, layer, input);
            case SavedModels.ID -> {
                SavedModelBundle bundle = SavedModels.open(model);
                yield RawGradient.graph(model, layer, input, bundle.session(), bundle::close);
            }
            case SavedModels.FROZEN -> {
                SavedModels.Frozen frozen = SavedModels.openFrozen(model);
                yield RawGradient.graph(model, layer, input, frozen.session(), frozen::close);
            }
            default -> throw new CamException("model '" + model.name() + "': the TensorFlow engine baseline runs "
                    + "the architectures " + SavedModels.ID + ", " + SavedModels.FROZEN + " and " + KerasModel.ID
                    + ", not '" + model.architecture() + "'");
        };
    }
}
