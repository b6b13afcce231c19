package org.camkit.target.classifier.internal;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code rest:<index or label>}: pre- and post-softmax together (ReST, arXiv 2501.06261), like pytorch-grad-cam's
 * {@code ClassifierOutputReST}: {@code y_c - cross_entropy(y, c) = y_c + log p_c = 2 y_c - log sum exp(y)}.
 * Its seed is {@code 2 e_c - p}.
 */
@Component
@CamTarget("rest")
public final class RestTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        float[] output = request.output();
        int c = ClassArgument.parse("rest", request.argument(), request.model(), output.length);
        double[] p = ClassScores.softmax(output);
        float[] seed = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            seed[i] = (float) ((i == c ? 2 : 0) - p[i]);
        }
        double score = 2.0 * output[c] - ClassScores.logSumExp(output);
        return new TargetScore("ReST of " + ClassScores.describe(c, request.model()), c, (float) score, seed);
    }

    @Override
    public String description() {
        return "rest:<index or label>: logit plus log-softmax of one class (ReST), as "
                + "pytorch-grad-cam's ClassifierOutputReST";
    }
}
