package org.camkit.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.camkit.api.CamException;
import org.camkit.api.Concept;
import org.camkit.api.Detection;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.Prediction;
import org.camkit.api.RgbImage;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.DetectionLayout;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.Tensor;

/**
 * One explanation: resolves the model, backend, method and target by name and checks the options, capabilities and
 * layers before any inference, decodes and preprocesses the images, runs the {@link Pipeline} and assembles the
 * result.
 */
final class ExplainStep {

    /** The target spec used when a request names none. */
    static final String DEFAULT_TARGET = "predicted";
    /** The target spec used when a request on a detector names none: its top detection. */
    static final String DETECTOR_TARGET = "detection";

    private final ModelCatalog models;
    private final PluginRegistry<ModelBackend> backends;
    private final PluginRegistry<CamMethod> methods;
    private final PluginRegistry<TargetResolver> targets;
    private final Limits limits;

    /**
     * @param models   the registered models
     * @param backends the registered backends
     * @param methods  the registered methods
     * @param targets  the registered target resolvers
     * @param limits   the image files refused before they are decoded
     */
    ExplainStep(ModelCatalog models, PluginRegistry<ModelBackend> backends, PluginRegistry<CamMethod> methods,
            PluginRegistry<TargetResolver> targets, Limits limits) {
        this.models = models;
        this.backends = backends;
        this.methods = methods;
        this.targets = targets;
        this.limits = limits;
    }

    /**
     * See {@link org.camkit.api.Explainer#explain}. Running out of Java heap anywhere in the request fails the request
     * alone, with what to lower; its memory is free again once the error is thrown.
     */
    Explanation explain(ExplainRequest request) {
        try {
            return explainUnguarded(request);
        } catch (OutOfMemoryError e) {
            throw new CamException(outOfMemory(request, e), e);
        }
    }

    /** See {@link org.camkit.api.Explainer#predict}. */
    List<Prediction> predict(ExplainRequest request) {
        ModelRef ref = ModelRef.resolve(models, backends, request.model());
        ModelDescriptor descriptor = ref.descriptor();
        DetectionLayout layout = descriptor.detection();
        try {
            Decoded images = decode(request, descriptor);
            LoadedModel model = ref.load();
            try (ForwardPass pass = model.forward(Images.preprocess(images.inputs(), descriptor), List.of())) {
                int[] shape = Pipeline.imageShape(pass.output());
                List<float[]> outputs = Pipeline.rows(pass.output());
                List<Prediction> out = new ArrayList<>();
                for (int n = 0; n < outputs.size(); n++) {
                    RgbImage picture = images.pictures().get(n);
                    float[] output = outputs.get(n);
                    List<Detection> detections = layout == null ? List.of()
                            : layout.decode(output, shape, descriptor).stream()
                                    .map(d -> inPicture(d, picture, descriptor)).toList();
                    int predicted = predicted(descriptor, shape, output, detections);
                    out.add(new Prediction(request.images().get(n).label(), output, predicted,
                            descriptor.label(predicted), detections));
                }
                return out;
            }
        } catch (OutOfMemoryError e) {
            throw new CamException(outOfMemory(request, e), e);
        }
    }

    /** See {@link org.camkit.api.Explainer#detect}. */
    List<List<Detection>> detect(ExplainRequest request) {
        ModelRef ref = ModelRef.resolve(models, backends, request.model());
        if (ref.descriptor().detection() == null) {
            throw new CamException(CamException.Kind.UNSUPPORTED, "model '" + ref.descriptor().name()
                    + "' is not a detector (its descriptor " + ref.model().file() + " has no \"task\": \"detection\"); "
                    + "cam:explain shows what a classifier predicts", ref.descriptor().name(), List.of());
        }
        return predict(request).stream().map(Prediction::detections).toList();
    }

    /**
     * @return a classifier's largest output, a detector's top detection's class; -1 for a detector without
     *         detections and for outputs with more axes (segmentation maps), which have no one prediction
     */
    private static int predicted(ModelDescriptor descriptor, int[] shape, float[] output, List<Detection> detections) {
        if (descriptor.detection() != null) {
            return detections.isEmpty() ? -1 : detections.get(0).classIndex();
        }
        return shape.length == 1 ? argmax(output) : -1;
    }

    /**
     * What every method of a comparison needs, checked once before any of them runs: the model resolves and the
     * first image decodes.
     *
     * @throws CamException naming the unknown model or the undecodable image
     */
    void checkModelAndImage(ExplainRequest request) {
        ModelDescriptor descriptor = ModelRef.resolve(models, backends, request.model()).descriptor();
        Images.decode(request.images().get(0), limits, descriptor.inputWidth(), descriptor.inputHeight());
    }

    /**
     * @param spec a target spec, e.g. {@code class:3}; empty for the default ({@value #DEFAULT_TARGET})
     * @return its resolver and argument
     * @throws CamException if no resolver has that name, listing the known ones
     */
    Probe.Target target(String spec) {
        String s = spec.isEmpty() ? DEFAULT_TARGET : spec;
        int colon = s.indexOf(':');
        return new Probe.Target(targets.get(colon < 0 ? s : s.substring(0, colon)).service(),
                colon < 0 ? "" : s.substring(colon + 1));
    }

    /**
     * @param spec   a request's target spec, or empty
     * @param method the method explaining it
     * @param model  the model explained
     * @return the target the method explains: the spec, or when it is empty the method's
     *         {@link CamMethod#defaultTarget()} (FinerCAM's {@code finer}), else for a detector
     *         {@value #DETECTOR_TARGET} (its top detection), else {@value #DEFAULT_TARGET}
     */
    Probe.Target target(String spec, CamMethod method, ModelDescriptor model) {
        if (!spec.isEmpty()) {
            return target(spec);
        }
        String fallback = model.detection() != null ? DETECTOR_TARGET : DEFAULT_TARGET;
        return target(method.defaultTarget().isEmpty() ? fallback : method.defaultTarget());
    }

    /** @return what ran out of memory and what to lower */
    static String outOfMemory(ExplainRequest request, OutOfMemoryError e) {
        List<String> lower = new ArrayList<>();
        request.options().keySet().stream().filter(o -> o.contains("batch") || o.equals("components")).sorted()
                .forEach(o -> lower.add("the option " + o));
        if (request.images().size() > 1) {
            lower.add("the number of images per request (" + request.images().size() + ")");
        }
        if (request.augSmooth()) {
            lower.add("aug-smooth");
        }
        lower.add("the model's input size");
        return "not enough memory to explain " + request.images().size() + " image(s) with model '"
                + request.model() + "' and method '" + request.method() + "' (" + e.getMessage() + "); lower "
                + String.join(", ", lower) + ", or give the JVM more heap (-Xmx, e.g. in CAMKIT_JAVA_OPTS)";
    }

    private Explanation explainUnguarded(ExplainRequest request) {
        Map<String, Duration> timings = new LinkedHashMap<>();
        // Resolve every name before any inference runs.
        ModelRef ref = ModelRef.resolve(models, backends, request.model());
        ModelDescriptor descriptor = ref.descriptor();
        PluginRegistry.Entry<ModelBackend> backend = ref.backend();
        PluginRegistry.Entry<CamMethod> method = methods.get(request.method());
        checkOptions(method, request.options());
        Probe.Target target = target(request.target(), method.service(), descriptor);

        Decoded decoded = timed(timings, "decode", () -> decode(request, descriptor));
        LoadedModel model = timed(timings, "load", ref::load);
        checkCapabilities(method, backend.name(), model);
        List<String> layers = request.layers();
        if (layers.isEmpty() && Pipeline.usesLayers(method.service())) {
            if (descriptor.defaultLayer() == null || descriptor.defaultLayer().isBlank()) {
                throw new CamException("model '" + descriptor.name() + "' has no defaultLayer in its descriptor and "
                        + "the request names no layer; give a layer (--layer), one of " + model.layers()
                        + ", or set defaultLayer");
            }
            layers = List.of(descriptor.defaultLayer());
        }
        Pipeline pipeline = new Pipeline(model, method.service(), method.name(), target.resolver(),
                target.argument(), layers, request.options(), request.eigenSmooth(), request.aggregation(),
                request.progress(), limits);
        checkLayers(pipeline.layers(), model, ref, request.layers().isEmpty());
        Tensor input = timed(timings, "preprocess", () -> Images.preprocess(decoded.inputs(), descriptor));
        try {
            List<Pipeline.ImageResult> results = pipeline.run(input, request.augSmooth());
            timings.putAll(pipeline.timings());
            return new Explanation(descriptor.name(), backend.name(), method.name(), pipeline.layers(),
                    descriptor.labels(), explained(request, descriptor, decoded.pictures(), results),
                    timings);
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("explaining with model '" + descriptor.name() + "' on backend '" + backend.name()
                    + "' and method '" + method.name() + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * A request's images.
     *
     * @param pictures as an explanation shows them: at the model's input size, or as decoded (in full) when the
     *                 request asks for {@link ExplainRequest#originalSize()}
     * @param inputs   at the model's input size, for the model
     */
    private record Decoded(List<RgbImage> pictures, List<RgbImage> inputs) {
    }

    /** @return the request's images decoded, and resized to the model's input */
    private Decoded decode(ExplainRequest request, ModelDescriptor descriptor) {
        int width = descriptor.inputWidth();
        int height = descriptor.inputHeight();
        boolean original = request.originalSize();
        List<RgbImage> pictures = new ArrayList<>();
        List<RgbImage> inputs = new ArrayList<>();
        for (ImageInput image : request.images()) {
            RgbImage picture = Images.decode(image, limits, original ? 0 : width, original ? 0 : height);
            RgbImage input = Images.resize(picture, width, height);
            pictures.add(original ? picture : input);
            inputs.add(input);
        }
        return new Decoded(pictures, inputs);
    }

    /** @return a detection in the model's input pixels moved to a picture's pixels */
    private static Detection inPicture(Detection d, RgbImage picture, ModelDescriptor descriptor) {
        return d.scaled(picture.width() / (float) descriptor.inputWidth(),
                picture.height() / (float) descriptor.inputHeight());
    }

    /**
     * The pipeline's results as the API's per-image records, at the size of {@code pictures}: maps at another size
     * (the model's input) are enlarged bilinearly.
     */
    private static List<ImageExplanation> explained(ExplainRequest request, ModelDescriptor descriptor,
            List<RgbImage> pictures, List<Pipeline.ImageResult> results) {
        List<ImageExplanation> explained = new ArrayList<>();
        Resize resize = new Resize(descriptor.inputWidth(), descriptor.inputHeight());
        for (int n = 0; n < pictures.size(); n++) {
            Pipeline.ImageResult r = results.get(n);
            RgbImage picture = pictures.get(n);
            List<Detection> detections = detections(descriptor, r, picture);
            int predicted = predicted(descriptor, r.outputShape(), r.output(), detections);
            TargetScore score = r.score();
            explained.add(new ImageExplanation(request.images().get(n).label(), picture,
                    resize.to(picture, r.cam(), 1), r.output(), predicted, descriptor.label(predicted),
                    score.description(), score.score(), score.classIndex(), resize.to(picture, r.gradient(), 3),
                    r.concepts().stream().map(c -> new Concept(c.legend(), resize.to(picture, c.map(), 1)))
                            .toList(), r.details(), detections));
        }
        return explained;
    }

    /**
     * @return a detector's detections in the picture's pixels, those whose rows the target's seed touches marked
     *         explained; empty for other models
     */
    private static List<Detection> detections(ModelDescriptor descriptor, Pipeline.ImageResult r, RgbImage picture) {
        DetectionLayout layout = descriptor.detection();
        if (layout == null) {
            return List.of();
        }
        float[] output = r.output();
        int columns = layout.columns(r.outputShape(), descriptor);
        float[] seed = r.score().seed();
        List<Detection> out = new ArrayList<>();
        for (int row : layout.keep(output, r.outputShape(), descriptor)) {
            Detection d = inPicture(layout.detection(output, row, columns, descriptor), picture, descriptor);
            boolean scored = false;
            for (int c = 0; c < columns && !scored; c++) {
                scored = seed[row * columns + c] != 0;
            }
            out.add(scored ? d.asExplained() : d);
        }
        return out;
    }

    /** Enlarges maps at the model's input size to a picture's size. */
    private record Resize(int width, int height) {

        /** @return {@code planes} maps at the picture's size; {@code maps} itself when it is that size or null */
        float[] to(RgbImage picture, float[] maps, int planes) {
            if (maps == null || picture.width() == width && picture.height() == height) {
                return maps;
            }
            if (planes == 1) {
                return MapProcessing.resize(maps, width, height, picture.width(), picture.height());
            }
            int area = width * height;
            int target = picture.width() * picture.height();
            float[] out = new float[planes * target];
            for (int p = 0; p < planes; p++) {
                float[] plane = Arrays.copyOfRange(maps, p * area, (p + 1) * area);
                System.arraycopy(MapProcessing.resize(plane, width, height, picture.width(), picture.height()), 0,
                        out, p * target, target);
            }
            return out;
        }
    }

    /** The one check, before any inference: fails if the method needs what the loaded model does not provide. */
    private void checkCapabilities(PluginRegistry.Entry<CamMethod> method, String backend, LoadedModel model) {
        Map<String, Set<Capability>> all = new LinkedHashMap<>();
        methods.entries().forEach(e -> all.put(e.name(), e.service().requires()));
        Capabilities.check(method.name(), method.service().requires(), backend, Capability.of(model),
                model.descriptor().name(), all, model.capabilityHint());
    }

    /** Fails if the request has options the method does not read. */
    private static void checkOptions(PluginRegistry.Entry<CamMethod> method, Map<String, String> options) {
        Map<String, String> known = method.service().options();
        List<String> unknown = options.keySet().stream().filter(o -> !known.containsKey(o)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new CamException(CamException.Kind.INVALID, "method '" + method.name() + "' has no option "
                    + unknown + "; its options: " + (known.isEmpty() ? "none" : describe(known)), unknown.get(0),
                    known.keySet().stream().sorted().toList());
        }
    }

    /**
     * Fails naming the model's layers if a target layer is not one of them; a wrong default layer also names the
     * descriptor (or {@code .cfg}) to fix.
     */
    private static void checkLayers(List<String> layers, LoadedModel model, ModelRef ref, boolean byDefault) {
        ModelDescriptor descriptor = ref.descriptor();
        for (String layer : layers) {
            if (!model.layers().contains(layer)) {
                String hint = model.capabilityHint();
                throw new CamException(CamException.Kind.UNKNOWN, "model '" + descriptor.name() + "' has no layer '"
                        + layer + "'" + (byDefault ? ", the defaultLayer in " + ref.model().file() + " (fix it there, "
                                + "or give --layer)" : "")
                        + "; its layers: " + model.layers() + " (default: " + descriptor.defaultLayer() + ")"
                        + (hint.isEmpty() ? "" : ". " + hint), layer, model.layers());
            }
        }
    }

    private static String describe(Map<String, String> options) {
        return options.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
    }

    /** @return the index of the largest value, the first one on ties */
    private static int argmax(float[] values) {
        return IntStream.range(0, values.length).reduce((best, i) -> values[i] > values[best] ? i : best).orElse(0);
    }

    private static <T> T timed(Map<String, Duration> timings, String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            timings.merge(stage, Duration.ofNanos(System.nanoTime() - start), Duration::plus);
        }
    }
}
