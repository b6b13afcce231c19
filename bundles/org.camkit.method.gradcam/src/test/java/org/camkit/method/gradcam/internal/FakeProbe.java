package org.camkit.method.gradcam.internal;

import java.util.Optional;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;

/** A probe that knows only the targets' seeds and, optionally, a linear head; everything else is not needed here. */
final class FakeProbe implements ModelProbe {

    private final float[][] seeds;
    private final LinearHead head;

    FakeProbe(float[][] seeds, LinearHead head) {
        this.seeds = seeds;
        this.head = head;
    }

    /** @return a probe for methods that use nothing beyond the layer data */
    static FakeProbe none() {
        return new FakeProbe(new float[0][], null);
    }

    @Override
    public float[] seed(int image) {
        return seeds[image].clone();
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.ofNullable(head);
    }


    @Override
    public ModelDescriptor model() {
        throw new UnsupportedOperationException("not used by these methods");
    }

    @Override
    public Tensor input() {
        throw new UnsupportedOperationException("not used by these methods");
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        throw new UnsupportedOperationException("not used by these methods");
    }

    @Override
    public float[] scoreFromLayer(int image, String layer, Tensor activations) {
        throw new UnsupportedOperationException("not used by these methods");
    }

    @Override
    public InputGradients inputGradients() {
        throw new UnsupportedOperationException("not used by these methods");
    }

    @Override
    public Tensor guidedGradients() {
        throw new UnsupportedOperationException("not used by these methods");
    }

    @Override
    public void progress(int done, int total) {
        throw new UnsupportedOperationException("not used by these methods");
    }
}
