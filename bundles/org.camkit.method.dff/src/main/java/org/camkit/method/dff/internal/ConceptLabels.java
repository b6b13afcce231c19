package org.camkit.method.dff.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;

/**
 * Names a concept by the linear head's softmax over its vector, as pytorch-grad-cam's
 * {@code create_labels_legend}: the top two classes as {@code label score}, e.g. {@code duck 0.91, charmander 0.05}.
 */
final class ConceptLabels {

    static final int TOP = 2;

    private final float[] weights;
    private final float[] bias;
    private final int classes;
    private final int channels;
    private final ModelDescriptor model;

    ConceptLabels(LinearHead head, ModelDescriptor model) {
        this.weights = head.weights().toArray();
        this.bias = head.bias();
        this.classes = head.weights().dim(0);
        this.channels = head.weights().dim(1);
        this.model = model;
    }

    int channels() {
        return channels;
    }

    /** @return the legend of a concept vector of {@link #channels()} values */
    String legend(double[] concept) {
        double[] logits = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            double sum = bias[k];
            for (int c = 0; c < channels; c++) {
                sum += weights[k * channels + c] * concept[c];
            }
            logits[k] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int k = 0; k < classes; k++) {
            logits[k] = Math.exp(logits[k] - max);
            total += logits[k];
        }
        double z = total;
        List<String> parts = new ArrayList<>();
        IntStream.range(0, classes).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> logits[k]).reversed())
                .limit(TOP)
                .forEach(k -> parts.add(model.label(k) + " " + String.format(Locale.ROOT, "%.2f", logits[k] / z)));
        return String.join(", ", parts);
    }
}
