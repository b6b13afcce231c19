package org.camkit.method.dff.internal;

import java.util.Optional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;

/** A model probe with labels and, optionally, a linear head; it records progress. */
final class FakeProbe implements ModelProbe {

    private final LinearHead head;
    private final List<String> labels;
    final List<Integer> progress = new ArrayList<>();

    FakeProbe(LinearHead head, List<String> labels) {
        this.head = head;
        this.labels = labels;
    }

    @Override
    public ModelDescriptor model() {
        return new ModelDescriptor("fake", "fake", Path.of("/fake"), "", 8, 8, new float[] {0, 0, 0},
                new float[] {1, 1, 1}, labels, "layer", Map.of());
    }


    @Override
    public Tensor input() {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] seed(int image) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] scoreFromLayer(int image, String layer, Tensor activations) {
        throw new UnsupportedOperationException();
    }

    @Override
    public InputGradients inputGradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Tensor guidedGradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.ofNullable(head);
    }

    @Override
    public void progress(int done, int total) {
        progress.add(done);
    }
}
