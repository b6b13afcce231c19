package org.camkit.testkit.thirdparty;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputBackward;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LayerBackward;
import org.camkit.spi.LayerForward;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.testkit.ReferenceNet;

/**
 * A "backend" computing in plain Java with the reference net itself, every role present; {@code gradients} and
 * {@code output} alter what it returns, to play a faulty engine.
 */
record ReferenceModel(ReferenceNet net, UnaryOperator<Tensor> gradients, UnaryOperator<Tensor> output,
        boolean guided) implements LoadedModel {

    static ReferenceModel faithful(ReferenceNet net) {
        return new ReferenceModel(net, t -> t, t -> t, true);
    }

    @Override
    public ModelDescriptor descriptor() {
        return net.descriptor("reference", Path.of("reference"), "", Map.of());
    }

    @Override
    public List<String> layers() {
        return net.layers().stream().map(ReferenceNet.Layer::name).toList();
    }

    @Override
    public ForwardPass forward(Tensor input, List<String> capture) {
        if (!layers().containsAll(capture)) {
            throw new CamException("model '" + net + "' has no layer " + capture + "; its layers are " + layers());
        }
        return new ForwardPass() {
            @Override
            public Tensor output() {
                return output.apply(net.output(input));
            }

            @Override
            public Tensor activations(String layer) {
                return net.activations(input, layer);
            }

            @Override
            public Map<String, Tensor> gradients(Tensor seed) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                capture.forEach(layer -> out.put(layer, gradients.apply(net.gradients(input, seed, layer))));
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Optional<LayerForward> layerForward() {
        return Optional.of(net::outputFrom);
    }

    @Override
    public Optional<LayerBackward> layerBackward() {
        return Optional.of((layer, activations) -> new ForwardPass() {
            @Override
            public Tensor output() {
                return output.apply(net.outputFrom(layer, activations));
            }

            @Override
            public Tensor activations(String name) {
                return activations;
            }

            @Override
            public Map<String, Tensor> gradients(Tensor seed) {
                return Map.of(layer, gradients.apply(net.gradientsFrom(layer, activations, seed)));
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public Optional<InputBackward> inputBackward() {
        return Optional.of((input, seed) -> new InputGradients(net.output(input), net.inputGradients(input, seed),
                Map.of()));
    }

    @Override
    public Optional<InputBackward> biasBackward() {
        return Optional.of((input, seed) -> new InputGradients(net.output(input), net.inputGradients(input, seed),
                net.biasTerms(input, seed)));
    }

    @Override
    public Optional<InputBackward> guidedBackward() {
        return guided ? Optional.of((input, seed) -> new InputGradients(net.output(input),
                net.guidedGradients(input, seed), Map.of())) : Optional.empty();
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return net.linearHead();
    }

    @Override
    public void close() {
    }
}
