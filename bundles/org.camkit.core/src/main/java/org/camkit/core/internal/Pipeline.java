package org.camkit.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.api.Concept;
import org.camkit.api.LayerAggregation;
import org.camkit.api.Progress;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LayerData;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.Tensor;

/**
 * One method on one loaded model for a preprocessed batch: forward, targets, backward, the method per layer,
 * channel reduction (sum or projection), ReLU, normalise, resize, layer mean or product, the method's picture,
 * concepts, aug-smooth: everything after name resolution.
 */
final class Pipeline {

    /** ttach's {@code Multiply} factors of pytorch-grad-cam's {@code aug_smooth}. */
    private static final float[] AUG_FACTORS = {0.9f, 1f, 1.1f};

    private final LoadedModel model;
    private final CamMethod method;
    private final String methodName;
    private final Probe.Target target;
    private final List<String> layers;
    private final Map<String, String> options;
    private final boolean eigenSmooth;
    private final LayerAggregation aggregation;
    private final Progress progress;
    private final Limits limits;
    private final Map<String, Duration> timings = new LinkedHashMap<>();

    /**
     * @param model          the loaded model
     * @param method         the method
     * @param methodName     its name, for messages and progress
     * @param target         the target resolver
     * @param targetArgument the argument of the target spec
     * @param layers         the target layers; ignored by methods without {@link Capability#ACTIVATIONS}
     * @param options        the method's options
     * @param eigenSmooth    project instead of summing channels
     * @param aggregation    how several layers' maps become one; null for the method's default
     * @param progress       the progress listener
     * @param limits         the passes a method asks for are checked against them
     */
    public Pipeline(LoadedModel model, CamMethod method, String methodName, TargetResolver target,
            String targetArgument, List<String> layers, Map<String, String> options, boolean eigenSmooth,
            LayerAggregation aggregation, Progress progress, Limits limits) {
        this.model = model;
        this.method = method;
        this.methodName = methodName;
        this.target = new Probe.Target(target, targetArgument);
        this.layers = usesLayers(method) ? List.copyOf(layers) : List.of();
        this.options = Map.copyOf(options);
        this.eigenSmooth = eigenSmooth;
        this.aggregation = aggregation != null ? aggregation : method.aggregation();
        this.progress = progress;
        this.limits = limits;
    }

    /**
     * @param method a method
     * @return whether it works on a layer's activations (else on the input, once per request)
     */
    public static boolean usesLayers(CamMethod method) {
        return method.requires().contains(Capability.ACTIVATIONS);
    }

    /** @return the layers this pipeline targets (empty for methods on the input) */
    public List<String> layers() {
        return layers;
    }

    /** @return time per stage so far */
    public Map<String, Duration> timings() {
        return timings;
    }

    /**
     * One image's result.
     *
     * @param cam      the map at input size, in [0, 1]
     * @param gradient the method's picture {@code [3, H, W]} (e.g. a guided gradient image), or null
     * @param concepts the concepts, or empty
     * @param output   the model output
     * @param score    the resolved target
     * @param outputShape the shape of {@code output}, e.g. {@code [K]} or {@code [K, H, W]}
     * @param details  the numbers the method reported for the image ({@link CamMaps#details()}); per layer, the
     *                 name gets {@code @layer} when there are several layers
     */
    public record ImageResult(float[] cam, float[] gradient, List<Concept> concepts, float[] output,
            TargetScore score, int[] outputShape, Map<String, Double> details) {
    }

    /**
     * @param input     the preprocessed batch {@code [N, C, H, W]}
     * @param augSmooth average over horizontal flips and input scalings
     * @return one result per image
     */
    public List<ImageResult> run(Tensor input, boolean augSmooth) {
        return run(input, null, augSmooth);
    }

    /**
     * @param input      the preprocessed batch {@code [N, C, H, W]}
     * @param references per image, the output its target is fixed on (e.g. the unperturbed image's when the batch
     *                   holds perturbed copies of it); null to resolve the targets on the batch itself
     * @param augSmooth  average over horizontal flips and input scalings
     * @return one result per image
     */
    public List<ImageResult> run(Tensor input, List<float[]> references, boolean augSmooth) {
        List<ImageResult> base;
        try (Pass pass = open(input, references)) {
            base = timed("cam", () -> pass.results());
        }
        if (!augSmooth) {
            return base;
        }
        return augmented(input, base, references);
    }

    /**
     * pytorch-grad-cam's {@code forward_augmentation_smoothing}: the mean of the maps of the six augmented passes
     * (the unaugmented one among them), each de-augmented; not renormalised. Targets stay fixed on the unaugmented
     * outputs (or on {@code fixed}, when given).
     */
    private List<ImageResult> augmented(Tensor input, List<ImageResult> base, List<float[]> fixed) {
        List<float[]> references = fixed != null ? fixed : base.stream().map(ImageResult::output).toList();
        int n = base.size();
        int w = input.dim(3);
        int h = input.dim(2);
        float[][] sums = new float[n][];
        int done = 0;
        for (boolean flip : new boolean[] {false, true}) {
            for (float factor : AUG_FACTORS) {
                Probe.checkCancelled("aug-smooth");
                List<float[]> cams;
                if (!flip && factor == 1f) {
                    cams = base.stream().map(ImageResult::cam).toList();
                } else {
                    try (Pass pass = open(augment(input, flip, factor), references)) {
                        cams = timed("cam", () -> pass.results()).stream().map(ImageResult::cam).toList();
                    }
                }
                for (int i = 0; i < n; i++) {
                    float[] cam = flip ? flip(cams.get(i), w, h) : cams.get(i);
                    if (sums[i] == null) {
                        sums[i] = new float[cam.length];
                    }
                    for (int p = 0; p < cam.length; p++) {
                        sums[i][p] += cam[p];
                    }
                }
                progress.update(methodName + " aug-smooth", ++done, 2 * AUG_FACTORS.length);
            }
        }
        List<ImageResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] mean = sums[i];
            for (int p = 0; p < mean.length; p++) {
                mean[p] /= 2 * AUG_FACTORS.length;
            }
            ImageResult b = base.get(i);
            out.add(new ImageResult(mean, b.gradient(), b.concepts(), b.output(), b.score(), b.outputShape(),
                    b.details()));
        }
        return out;
    }

    private static Tensor augment(Tensor input, boolean flip, float factor) {
        int w = input.dim(3);
        float[] out = new float[input.size()];
        for (int row = 0; row < out.length / w; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = input.get(base + (flip ? w - 1 - x : x)) * factor;
            }
        }
        return Tensor.of(out, input.shape());
    }

    private static float[] flip(float[] map, int w, int h) {
        float[] out = new float[map.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = map[y * w + w - 1 - x];
            }
        }
        return out;
    }

    /**
     * Runs the forward pass, resolves the targets and back-propagates if the method needs gradients.
     *
     * @param input      the preprocessed batch
     * @param references per image, the output targets are fixed on; null for the batch itself
     * @return the open pass; close it
     */
    public Pass open(Tensor input, List<float[]> references) {
        boolean gradients = method.requires().contains(Capability.GRADIENTS);
        ForwardPass pass = timed("forward", () -> model.forward(input, layers));
        try {
            Tensor output = pass.output();
            int[] shape = imageShape(output);
            List<float[]> outputs = rows(output);
            List<TargetScore> scores = timed("target", () -> resolve(outputs, references, shape));
            Tensor seeds = seeds(output, scores);
            Map<String, Tensor> grads = gradients && !layers.isEmpty()
                    ? timed("backward", () -> pass.gradients(seeds))
                    : Map.of();
            Probe probe = new Probe(model, method.requires(), target, input,
                    references == null ? outputs : references, seeds, progress,
                    methodName + (layers.isEmpty() ? "" : " " + String.join("+", layers)), limits);
            return new Pass(pass, input, outputs, shape, scores, grads, probe);
        } catch (RuntimeException e) {
            pass.close();
            throw e;
        }
    }

    private List<TargetScore> resolve(List<float[]> outputs, List<float[]> references, int[] shape) {
        List<TargetScore> scores = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            scores.add(target.resolver().resolve(new TargetRequest(target.argument(), outputs.get(i),
                    model.descriptor(), references == null ? null : references.get(i), shape)));
        }
        return scores;
    }

    /** @return one image's output shape: the output's shape without the batch axis */
    static int[] imageShape(Tensor output) {
        return Arrays.copyOfRange(output.shape(), 1, output.rank());
    }

    /** @return each image's output, flattened */
    static List<float[]> rows(Tensor output) {
        int n = output.dim(0);
        int k = output.size() / n;
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[k];
            output.copyTo(i * k, row, 0, k);
            rows.add(row);
        }
        return rows;
    }

    private static Tensor seeds(Tensor output, List<TargetScore> scores) {
        int k = output.size() / output.dim(0);
        float[] seed = new float[scores.size() * k];
        for (int n = 0; n < scores.size(); n++) {
            float[] s = scores.get(n).seed();
            if (s.length != k) {
                throw new CamException("target '" + scores.get(n).description() + "' gave a seed of " + s.length
                        + " values for an output of " + k);
            }
            System.arraycopy(s, 0, seed, n * k, k);
        }
        return Tensor.of(seed, output.shape());
    }

    /** A forward pass with its targets and gradients; what the method sees. */
    public final class Pass implements AutoCloseable {
        private final ForwardPass pass;
        private final Tensor input;
        private final List<float[]> outputs;
        private final int[] outputShape;
        private final List<TargetScore> scores;
        private final Map<String, Tensor> gradients;
        private final Probe probe;

        private Pass(ForwardPass pass, Tensor input, List<float[]> outputs, int[] outputShape,
                List<TargetScore> scores, Map<String, Tensor> gradients, Probe probe) {
            this.pass = pass;
            this.input = input;
            this.outputs = outputs;
            this.outputShape = outputShape;
            this.scores = scores;
            this.gradients = gradients;
            this.probe = probe;
        }

        /** @return the resolved target per image */
        public List<TargetScore> scores() {
            return scores;
        }

        /** @return the probe the method gets */
        public ModelProbe probe() {
            return probe;
        }

        /**
         * @param layer a target layer, or null for a method on the input
         * @return what the method sees
         */
        public LayerData layerData(String layer) {
            float[] targetScores = new float[scores.size()];
            for (int i = 0; i < targetScores.length; i++) {
                targetScores[i] = scores.get(i).score();
            }
            return new LayerData(layer, layer == null ? null : pass.activations(layer),
                    layer == null ? null : gradients.get(layer), targetScores, probe, options);
        }

        /** @return per image the map, guided image and concepts */
        List<ImageResult> results() {
            int n = outputs.size();
            int width = input.dim(3);
            int height = input.dim(2);
            List<List<float[]>> perImage = new ArrayList<>();
            List<List<Concept>> concepts = new ArrayList<>();
            List<Map<String, Double>> details = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                perImage.add(new ArrayList<>());
                concepts.add(new ArrayList<>());
                details.add(new LinkedHashMap<>());
            }
            for (String layer : layers.isEmpty() ? java.util.Collections.<String>singletonList(null) : layers) {
                CamMaps maps = method.compute(layerData(layer));
                reduce(maps, layer, width, height, perImage, concepts);
                String suffix = layers.size() > 1 ? "@" + layer : "";
                maps.details().forEach((name, values) -> {
                    for (int i = 0; i < n; i++) {
                        details.get(i).put(name + suffix, (double) values[i]);
                    }
                });
            }
            int plane = width * height;
            float[] cams = new float[n * plane];
            List<float[]> aggregated = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                aggregated.add(CamOps.aggregate(perImage.get(i), aggregation));
                System.arraycopy(aggregated.get(i), 0, cams, i * plane, plane);
            }
            Tensor maps = Tensor.of(cams, n, height, width);
            Tensor picture = method.picture(probe, maps).orElse(null);
            if (picture != null && (picture.rank() != 4 || picture.dim(0) != n || picture.dim(1) != 3
                    || picture.dim(2) != height || picture.dim(3) != width)) {
                throw new CamException("method '" + methodName + "' returned a picture " + picture + "; it must be ["
                        + n + ", 3, " + height + ", " + width + "]");
            }
            List<ImageResult> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] gradient = null;
                if (picture != null) {
                    gradient = new float[3 * plane];
                    picture.copyTo(i * 3 * plane, gradient, 0, 3 * plane);
                }
                results.add(new ImageResult(aggregated.get(i), gradient,
                        concepts.get(i), outputs.get(i), scores.get(i), outputShape, details.get(i)));
            }
            return results;
        }

        private void reduce(CamMaps maps, String layer, int width, int height, List<List<float[]>> perImage,
                List<List<Concept>> concepts) {
            Tensor t = maps.maps();
            int n = t.dim(0);
            int c = t.dim(1);
            int h = t.dim(2);
            int w = t.dim(3);
            int area = h * w;
            if (n != perImage.size()) {
                throw new CamException("method '" + methodName + "' returned maps for " + n + " images, the batch has "
                        + perImage.size());
            }
            for (int i = 0; i < n; i++) {
                int offset = i * c * area;
                boolean project = maps.kind() == CamMaps.Kind.PROJECTION
                        || (eigenSmooth && maps.kind() == CamMaps.Kind.SUM);
                float[] raw = project ? MapProcessing.project(t, offset, c, area)
                        : CamOps.channelSum(t, offset, c, area);
                perImage.get(i).add(CamOps.perLayer(raw, w, h, width, height));
                if (maps.kind() == CamMaps.Kind.CONCEPTS) {
                    for (int m = 0; m < c; m++) {
                        float[] one = new float[area];
                        t.copyTo(offset + m * area, one, 0, area);
                        String legend = maps.legends().get(m) + (layers.size() > 1 ? " @" + layer : "");
                        concepts.get(i).add(new Concept(legend,
                                MapProcessing.resize(MapProcessing.normalize(one), w, h, width, height)));
                    }
                }
            }
        }

        @Override
        public void close() {
            pass.close();
        }
    }

    private <T> T timed(String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            timings.merge(stage, Duration.ofNanos(System.nanoTime() - start), Duration::plus);
        }
    }

    /** @return the descriptor of the model */
    ModelDescriptor descriptor() {
        return model.descriptor();
    }
}
