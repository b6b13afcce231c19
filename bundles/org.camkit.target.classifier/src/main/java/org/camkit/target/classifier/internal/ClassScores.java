package org.camkit.target.classifier.internal;

import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetScore;

/** The raw-logit score of one class and its one-hot seed. */
final class ClassScores {

    private ClassScores() {
    }

    static TargetScore raw(int index, float[] output, ModelDescriptor model) {
        float[] seed = new float[output.length];
        seed[index] = 1;
        String label = model.label(index);
        String description = "class " + index + (label.equals(String.valueOf(index)) ? "" : " (" + label + ")");
        return new TargetScore(description, index, output[index], seed);
    }
}
