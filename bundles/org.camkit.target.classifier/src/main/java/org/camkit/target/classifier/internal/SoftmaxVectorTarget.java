package org.camkit.target.classifier.internal;

import java.util.Arrays;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code softmax-vector}: pytorch-grad-cam's {@code SoftmaxOutputTarget}, the softmax of the whole output (over its
 * last axis), summed as a gradient method must sum a vector target. <b>The sum of a softmax is 1 whatever the
 * output, so its gradient is zero</b>: the score is {@code Σ_i p_i = 1} (one per row of the last axis) and the seed,
 * {@code p_i (1 - Σ_j p_j)}, is exactly zero. Every gradient method therefore gives a flat, all-zero map; it is here
 * so that a notebook using it ports with the same (flat) result. pytorch-grad-cam's own map is float32 rounding
 * noise where its {@code Σ p} rounds away from 1 (a seed of about 1e-7, which the min-max normalisation blows up), and
 * flat where it does not. To explain a class use {@code softmax:<class>}; to explain the whole output, {@code scores}.
 */
@Component
@CamTarget("softmax-vector")
public final class SoftmaxVectorTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        WholeOutput.noArgument("softmax-vector", request);
        float[] output = request.output();
        int[] shape = request.shape();
        int last = shape.length == 0 ? output.length : shape[shape.length - 1];
        double sum = 0;
        for (int row = 0; row < output.length; row += last) {
            float[] values = Arrays.copyOfRange(output, row, row + last);
            for (double p : ClassScores.softmax(values)) {
                sum += p;
            }
        }
        return new TargetScore("sum of the softmax of the output (always 1 per row: zero gradient, flat maps)", -1,
                (float) sum, new float[output.length]);
    }

    @Override
    public String description() {
        return "softmax-vector: the sum of the softmax of all outputs (pytorch-grad-cam's SoftmaxOutputTarget);"
                + " WARNING: that sum is always 1, so its gradient is zero and gradient methods give flat maps;"
                + " use softmax:<class> or scores instead";
    }
}
