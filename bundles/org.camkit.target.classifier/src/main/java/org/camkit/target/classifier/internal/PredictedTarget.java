package org.camkit.target.classifier.internal;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.Target;
import org.osgi.service.component.annotations.Component;

/** {@code predicted}: the raw output of the highest-scoring class, pytorch-grad-cam's default target. */
@Component
@Target("predicted")
public final class PredictedTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        if (!request.argument().isBlank()) {
            throw new CamException("target 'predicted' takes no argument (got 'predicted:" + request.argument()
                    + "'); to explain a given class use class:<index or label>");
        }
        float[] output = request.output();
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            if (output[i] > output[best]) {
                best = i;
            }
        }
        return ClassScores.raw(best, output, request.model());
    }
}
