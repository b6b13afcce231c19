package org.camkit.target.classifier.internal;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code predicted}: the raw output of the highest-scoring class, pytorch-grad-cam's default target. The class is
 * the one predicted on the unperturbed image ({@link TargetRequest#reference()}), so perturbed and augmented copies
 * are scored on the same class, as pytorch-grad-cam does by resolving targets once.
 */
@Component
@CamTarget("predicted")
public final class PredictedTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        if (!request.argument().isBlank()) {
            throw new CamException("target 'predicted' takes no argument (got 'predicted:" + request.argument()
                    + "'); to explain a given class use class:<index or label>");
        }
        return ClassScores.raw(ClassScores.argmax(request.reference()), request.output(), request.model());
    }

    @Override
    public String description() {
        return "predicted: the raw output of the class predicted for the image (the default target)";
    }
}
