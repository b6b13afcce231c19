package org.camkit.method.saliency.internal;

import java.util.Optional;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;

/** A model probe that hands out given input, input gradients and guided gradients. */
final class FakeProbe implements ModelProbe {

    private final Tensor input;
    private final InputGradients gradients;
    private final Tensor guided;

    FakeProbe(Tensor input, InputGradients gradients, Tensor guided) {
        this.input = input;
        this.gradients = gradients;
        this.guided = guided;
    }

    @Override
    public ModelDescriptor model() {
        return new ModelDescriptor("fake", "fake", Path.of("/fake"), "", input.dim(3), input.dim(2),
                new float[] {0, 0, 0}, new float[] {1, 1, 1}, List.of(), "layer", Map.of());
    }


    @Override
    public Tensor input() {
        return input;
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
        return gradients;
    }

    @Override
    public Tensor guidedGradients() {
        return guided;
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.empty();
    }

    @Override
    public void progress(int done, int total) {
    }
}
