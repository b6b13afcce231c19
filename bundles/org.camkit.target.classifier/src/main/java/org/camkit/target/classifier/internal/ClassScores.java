package org.camkit.target.classifier.internal;

import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetScore;

/**
 * Scores shared by the class targets: the raw logit with its one-hot seed, the predicted class, the softmax, class
 * descriptions.
 */
final class ClassScores {

    private ClassScores() {
    }

    static TargetScore raw(int index, float[] output, ModelDescriptor model) {
        float[] seed = new float[output.length];
        seed[index] = 1;
        return new TargetScore(describe(index, model), index, output[index], seed);
    }

    /** @return {@code class 3 (dog)}, or {@code class 3} when the model has no label for it */
    static String describe(int index, ModelDescriptor model) {
        String label = model.label(index);
        return "class " + index + (label.equals(String.valueOf(index)) ? "" : " (" + label + ")");
    }

    /** @return the index of the largest output, the first on ties: the predicted class */
    static int argmax(float[] output) {
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            if (output[i] > output[best]) {
                best = i;
            }
        }
        return best;
    }

    /** @return {@code log sum exp(y)}, computed stably: the maximum is taken out before exponentiating */
    static double logSumExp(float[] output) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : output) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : output) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** @return the softmax of the output, {@code p_i = exp(y_i - log sum exp(y))} */
    static double[] softmax(float[] output) {
        double lse = logSumExp(output);
        double[] p = new double[output.length];
        for (int i = 0; i < output.length; i++) {
            p[i] = Math.exp(output[i] - lse);
        }
        return p;
    }
}
