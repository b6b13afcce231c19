package org.camkit.target.classifier.internal;

import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.Target;
import org.osgi.service.component.annotations.Component;

/**
 * {@code class:<index or label>}: the raw output of one class, like pytorch-grad-cam's
 * {@code ClassifierOutputTarget}; its seed is the one-hot vector of that class.
 */
@Component
@Target("class")
public final class ClassTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        float[] output = request.output();
        int index = classIndex(request.argument(), request.model(), output.length);
        return ClassScores.raw(index, output, request.model());
    }

    private static int classIndex(String argument, ModelDescriptor model, int classes) {
        if (argument.isBlank()) {
            throw new CamException("target 'class' needs a class: class:<index 0.." + (classes - 1) + "> or "
                    + "class:<label>" + labels(model));
        }
        int index = model.labels().indexOf(argument);
        if (index >= 0) {
            return index;
        }
        try {
            index = Integer.parseInt(argument.trim());
        } catch (NumberFormatException e) {
            throw new CamException("target 'class:" + argument + "': '" + argument + "' is neither a class index "
                    + "nor a label of model '" + model.name() + "'" + labels(model), e);
        }
        if (index < 0 || index >= classes) {
            throw new CamException("target 'class:" + argument + "': class index " + index + " is out of range; "
                    + "model '" + model.name() + "' has " + classes + " classes (0.." + (classes - 1) + ")");
        }
        return index;
    }

    private static String labels(ModelDescriptor model) {
        return model.labels().isEmpty() ? "" : " (labels: " + model.labels() + ")";
    }
}
