package org.camkit.target.classifier.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;

/** Test helpers: a three-class model and a central finite-difference gradient of a target's score. */
final class Outputs {

    static final ModelDescriptor MODEL = new ModelDescriptor("demo", "pytorch", Path.of("demo.params"), "", 8, 8,
            new float[3], new float[] {1, 1, 1}, List.of("cat", "dog", "duck"), "l", Map.of());

    private Outputs() {
    }

    static float score(TargetResolver target, String argument, float[] output) {
        return target.resolve(new TargetRequest(argument, output, MODEL)).score();
    }

    /** @return d score / d output by central differences with step h, evaluated in double */
    static double[] numericGradient(ToDoubleFunction<float[]> score, float[] output, float h) {
        double[] gradient = new double[output.length];
        for (int i = 0; i < output.length; i++) {
            float[] up = output.clone();
            float[] down = output.clone();
            up[i] += h;
            down[i] -= h;
            gradient[i] = (score.applyAsDouble(up) - score.applyAsDouble(down)) / (up[i] - down[i]);
        }
        return gradient;
    }
}
