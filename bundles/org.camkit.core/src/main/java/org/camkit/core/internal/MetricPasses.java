package org.camkit.core.internal;

import java.util.Collections;
import java.util.List;
import org.camkit.api.Progress;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.MetricProbe;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

/**
 * The core's {@link MetricProbe} for one image: perturbed inputs scored with the request's target fixed on the
 * unperturbed output, raw outputs, and the request's method run again on other inputs with the same target.
 */
final class MetricPasses implements MetricProbe {

    private final LoadedModel model;
    private final Probe.Target target;
    private final float[] reference;
    private final Pipeline method;
    private final boolean augSmooth;
    private final Limits limits;
    private final Progress progress;
    private final String task;

    /**
     * @param model     the loaded model
     * @param target    the request's target
     * @param reference the unperturbed image's output, which the target is fixed on
     * @param method    the request's method, layers and options, for {@link #explain}
     * @param augSmooth whether the request averages over flips and scalings
     * @param limits    every pass is checked against them
     * @param progress  the request's listener
     * @param task      what to call the work in progress reports
     */
    MetricPasses(LoadedModel model, Probe.Target target, float[] reference, Pipeline method, boolean augSmooth,
            Limits limits, Progress progress, String task) {
        this.model = model;
        this.target = target;
        this.reference = reference;
        this.method = method;
        this.augSmooth = augSmooth;
        this.limits = limits;
        this.progress = progress;
        this.task = task;
    }

    @Override
    public ModelDescriptor model() {
        return model.descriptor();
    }

    @Override
    public int maxBatch() {
        return limits.maxBatch(model.descriptor());
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        check(image);
        return target.scores(outputs(inputs), model.descriptor(), reference);
    }

    @Override
    public Tensor outputs(Tensor inputs) {
        limits.checkBatch(model.descriptor(), inputs.dim(0));
        try (ForwardPass pass = model.forward(inputs, List.of())) {
            return pass.output();
        }
    }

    @Override
    public Tensor explain(int image, Tensor inputs) {
        check(image);
        limits.checkBatch(model.descriptor(), inputs.dim(0));
        List<Pipeline.ImageResult> results = method.run(inputs,
                Collections.nCopies(inputs.dim(0), reference), augSmooth);
        int plane = inputs.dim(2) * inputs.dim(3);
        float[] maps = new float[results.size() * plane];
        for (int i = 0; i < results.size(); i++) {
            System.arraycopy(results.get(i).cam(), 0, maps, i * plane, plane);
        }
        return Tensor.of(maps, results.size(), inputs.dim(2), inputs.dim(3));
    }

    @Override
    public void progress(int done, int total) {
        Probe.checkCancelled(task);
        progress.update(task, done, total);
    }

    private static void check(int image) {
        if (image != 0) {
            throw new IllegalArgumentException("a metric is given one image at a time; image " + image
                    + " is not in the batch");
        }
    }
}
