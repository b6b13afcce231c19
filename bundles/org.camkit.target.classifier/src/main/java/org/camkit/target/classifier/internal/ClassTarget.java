package org.camkit.target.classifier.internal;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code class:<index or label>}: the raw output of one class, like pytorch-grad-cam's
 * {@code ClassifierOutputTarget}; its seed is the one-hot vector of that class.
 */
@Component
@CamTarget("class")
public final class ClassTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        float[] output = request.output();
        int index = ClassArgument.parse("class", request.argument(), request.model(), output.length);
        return ClassScores.raw(index, output, request.model());
    }

    @Override
    public String description() {
        return "class:<index or label>: the raw output (logit) of one class, as pytorch-grad-cam's "
                + "ClassifierOutputTarget";
    }
}
