package org.camkit.target.classifier.internal;

import java.util.Arrays;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code scores}: the whole raw output, like pytorch-grad-cam's {@code RawScoresOutputTarget}. That target returns
 * the output vector and pytorch-grad-cam back-propagates the sum of what a target returns, so the score is
 * {@code Σ_i y_i} and its seed is all ones: what raises every output at once.
 */
@Component
@CamTarget("scores")
public final class ScoresTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        WholeOutput.noArgument("scores", request);
        float[] output = request.output();
        double sum = 0;
        for (float v : output) {
            sum += v;
        }
        float[] seed = new float[output.length];
        Arrays.fill(seed, 1);
        return new TargetScore("sum of the " + output.length + " raw outputs", -1, (float) sum, seed);
    }

    @Override
    public String description() {
        return "scores: the sum of all raw outputs (pytorch-grad-cam's RawScoresOutputTarget); seed all ones";
    }
}
