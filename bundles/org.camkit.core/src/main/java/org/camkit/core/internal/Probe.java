package org.camkit.core.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.api.Progress;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputBackward;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LayerGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.Tensor;

/**
 * The core's {@link ModelProbe} for one pass of one request: perturbed passes are scored with the request's target,
 * fixed on the unperturbed image's output ({@code references}). The request was checked against the model's
 * capabilities before inference; here a call the method did not declare in {@code requires()} is refused.
 */
final class Probe implements ModelProbe {

    private final LoadedModel model;
    private final Set<Capability> declared;
    private final Target target;
    private final Tensor input;
    private final List<float[]> references;
    private final Tensor seeds;
    private final Progress progress;
    private final String task;
    private final Limits limits;
    private InputGradients inputGradients;
    private Tensor guidedGradients;

    /**
     * @param model      the loaded model
     * @param declared   what the method requires
     * @param target     the request's target
     * @param input      the batch's preprocessed input
     * @param references per image, the output the target is fixed on
     * @param seeds      the target seeds on the output {@code [N, K]}
     * @param progress   the request's listener
     * @param task       what to call the work in progress reports
     * @param limits     the passes the method asks for are checked against them
     */
    Probe(LoadedModel model, Set<Capability> declared, Target target, Tensor input, List<float[]> references,
            Tensor seeds, Progress progress, String task, Limits limits) {
        this.model = model;
        this.declared = Set.copyOf(declared);
        this.target = target;
        this.input = input;
        this.references = references;
        this.seeds = seeds;
        this.progress = progress;
        this.task = task;
        this.limits = limits;
    }

    /** A target resolver and the argument of the request's spec. */
    record Target(TargetResolver resolver, String argument) {

        /**
         * @param outputs   a batch's outputs
         * @param model     the model's descriptor
         * @param reference the output the target is fixed on
         * @return the target's score on each row of the batch
         */
        float[] scores(Tensor outputs, ModelDescriptor model, float[] reference) {
            int[] shape = Pipeline.imageShape(outputs);
            List<float[]> rows = Pipeline.rows(outputs);
            float[] scores = new float[rows.size()];
            for (int r = 0; r < scores.length; r++) {
                scores[r] = resolver.resolve(new TargetRequest(argument, rows.get(r), model, reference, shape))
                        .score();
            }
            return scores;
        }

        /**
         * @param outputs   a batch's outputs
         * @param model     the model's descriptor
         * @param reference the output the target is fixed on
         * @return per row the target, resolved on that row's output
         */
        List<TargetScore> resolve(Tensor outputs, ModelDescriptor model, float[] reference) {
            int[] shape = Pipeline.imageShape(outputs);
            return Pipeline.rows(outputs).stream()
                    .map(row -> resolver.resolve(new TargetRequest(argument, row, model, reference, shape))).toList();
        }
    }

    @Override
    public ModelDescriptor model() {
        return model.descriptor();
    }

    @Override
    public Tensor input() {
        return input;
    }

    @Override
    public float[] seed(int image) {
        int k = seeds.size() / seeds.dim(0);
        float[] seed = new float[k];
        seeds.copyTo(image * k, seed, 0, k);
        return seed;
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        limits.checkBatch(model.descriptor(), inputs.dim(0));
        try (ForwardPass pass = model.forward(inputs, List.of())) {
            return score(image, pass.output());
        }
    }

    @Override
    public float[] scoreFromLayer(int image, String layer, Tensor activations) {
        limits.checkBatch(model.descriptor(), activations.dim(0));
        return score(image, role(Capability.FORWARD_FROM_LAYER, model.layerForward()).outputFrom(layer, activations));
    }

    @Override
    public LayerGradients layerGradients(int image, String layer, Tensor inputs) {
        limits.checkBatch(model.descriptor(), inputs.dim(0));
        checkDeclared(Capability.GRADIENTS);
        try (ForwardPass pass = model.forward(inputs, List.of(layer))) {
            return backward(image, layer, pass);
        }
    }

    @Override
    public LayerGradients gradientsFromLayer(int image, String layer, Tensor activations) {
        limits.checkBatch(model.descriptor(), activations.dim(0));
        try (ForwardPass pass = role(Capability.BACKWARD_FROM_LAYER, model.layerBackward()).from(layer,
                activations)) {
            return backward(image, layer, pass);
        }
    }

    /** Seeds each row of a pass with the image's target at that row's output and back-propagates to the layer. */
    private LayerGradients backward(int image, String layer, ForwardPass pass) {
        Tensor outputs = pass.output();
        List<TargetScore> targets = target.resolve(outputs, model.descriptor(), references.get(image));
        float[] seed = new float[outputs.size()];
        float[] scores = new float[targets.size()];
        int k = seed.length / scores.length;
        for (int r = 0; r < scores.length; r++) {
            scores[r] = targets.get(r).score();
            float[] s = targets.get(r).seed();
            if (s.length != k) {
                throw new CamException("target '" + targets.get(r).description() + "' gave a seed of " + s.length
                        + " values for an output of " + k);
            }
            System.arraycopy(s, 0, seed, r * k, k);
        }
        Tensor activations = pass.activations(layer);
        Tensor gradients = pass.gradients(Tensor.of(seed, outputs.shape())).get(layer);
        return new LayerGradients(activations, gradients, scores);
    }

    private float[] score(int image, Tensor outputs) {
        return target.scores(outputs, model.descriptor(), references.get(image));
    }

    @Override
    public InputGradients inputGradients() {
        if (inputGradients == null) {
            InputBackward backward = declared.contains(Capability.BIAS_GRADIENTS)
                    ? role(Capability.BIAS_GRADIENTS, model.biasBackward())
                    : role(Capability.INPUT_GRADIENTS, model.inputBackward());
            inputGradients = backward.backward(input, seeds);
        }
        return inputGradients;
    }

    @Override
    public Tensor guidedGradients() {
        if (guidedGradients == null) {
            guidedGradients = role(Capability.GUIDED_BACKPROP, model.guidedBackward()).backward(input, seeds)
                    .input();
        }
        return guidedGradients;
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return model.linearHead();
    }

    @Override
    public void progress(int done, int total) {
        checkCancelled(task);
        progress.update(task, done, total);
    }

    /** Throws if the calling thread was interrupted; leaves the interrupt flag set for callers up the stack. */
    static void checkCancelled(String task) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CamException(CamException.Kind.CANCELLED, "cancelled: " + task + " was interrupted", null,
                    List.of());
        }
    }

    /** @return the role, which the method must have declared (the core checked the model has what is declared) */
    private <R> R role(Capability capability, Optional<R> role) {
        checkDeclared(capability);
        if (role.isEmpty()) {
            throw new CamException("model '" + model.descriptor().name() + "' does not provide " + capability
                    + " (it provides " + Capability.of(model) + ")");
        }
        return role.get();
    }

    private void checkDeclared(Capability capability) {
        if (!declared.contains(capability)) {
            throw new CamException("the method used " + capability + " without declaring it in requires() (it "
                    + "declares " + declared + "); declare it, so that a model without it is refused before inference");
        }
    }
}
