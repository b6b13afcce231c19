package org.camkit.target.classifier.internal;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code softmax:<index or label>}: the softmax probability {@code p_c} of one class, like pytorch-grad-cam's
 * {@code ClassifierOutputSoftmaxTarget}. Its seed is {@code dp_c/dy = p_c (e_c - p)}.
 */
@Component
@CamTarget("softmax")
public final class SoftmaxTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        float[] output = request.output();
        int c = ClassArgument.parse("softmax", request.argument(), request.model(), output.length);
        double[] p = ClassScores.softmax(output);
        float[] seed = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            seed[i] = (float) (p[c] * ((i == c ? 1 : 0) - p[i]));
        }
        return new TargetScore("softmax of " + ClassScores.describe(c, request.model()), c, (float) p[c], seed);
    }

    @Override
    public String description() {
        return "softmax:<index or label>: the softmax probability of one class, as pytorch-grad-cam's "
                + "ClassifierOutputSoftmaxTarget";
    }
}
