package org.camkit.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.Tile;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelInputs;
import org.camkit.spi.Montage;
import org.camkit.spi.Plugins;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.Tensor;
import org.camkit.spi.Visualizer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The explanation pipeline: picks plugins by name from the registry and runs DESIGN.md's data flow. As
 * {@link ModelInputs} it lends tools the same model lookup and preprocessing.
 */
@Component(service = {Explainer.class, ModelInputs.class})
public final class ExplainerImpl implements Explainer, ModelInputs {

    /** Framework property naming the directory of registered model descriptors. */
    static final String MODELS_PROPERTY = "camkit.models";
    /** The target spec used when a request names none. */
    static final String DEFAULT_TARGET = "predicted";

    private final PluginRegistry<ModelBackend> backends = new PluginRegistry<>("backend", Plugins.BACKEND);
    private final PluginRegistry<CamMethod> methods = new PluginRegistry<>("method", Plugins.METHOD);
    private final PluginRegistry<TargetResolver> targets = new PluginRegistry<>("target", Plugins.TARGET);
    private final PluginRegistry<Visualizer> visualizers = new PluginRegistry<>("visualizer", Plugins.VISUALIZER);
    private final ModelCatalog models;
    private volatile Montage montage;

    /** @param context used to read the {@code camkit.models} framework property */
    @Activate
    public ExplainerImpl(BundleContext context) {
        String dir = context.getProperty(MODELS_PROPERTY);
        this.models = new ModelCatalog(dir == null || dir.isBlank() ? null : Path.of(dir).toAbsolutePath());
    }

    @Deactivate
    void deactivate() {
        models.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(ModelBackend backend, ServiceReference<ModelBackend> reference) {
        backends.add(backend, reference);
    }

    void removeBackend(ModelBackend backend) {
        backends.remove(backend);
        models.release(backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModel(ConfiguredModel model) {
        models.register(model, model.model());
    }

    void removeModel(ConfiguredModel model) {
        models.unregister(model);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMethod(CamMethod method, ServiceReference<CamMethod> reference) {
        methods.add(method, reference);
    }

    void removeMethod(CamMethod method) {
        methods.remove(method);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTarget(TargetResolver target, ServiceReference<TargetResolver> reference) {
        targets.add(target, reference);
    }

    void removeTarget(TargetResolver target) {
        targets.remove(target);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addVisualizer(Visualizer visualizer, ServiceReference<Visualizer> reference) {
        visualizers.add(visualizer, reference);
    }

    void removeVisualizer(Visualizer visualizer) {
        visualizers.remove(visualizer);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMontage(Montage montage) {
        this.montage = montage;
    }

    void unsetMontage(Montage montage) {
        if (this.montage == montage) {
            this.montage = null;
        }
    }

    @Override
    public Explanation explain(ExplainRequest request) {
        Map<String, Duration> timings = new LinkedHashMap<>();
        // Resolve every name before any inference runs.
        ModelRef ref = resolve(request.model());
        ModelDescriptor descriptor = ref.descriptor();
        PluginRegistry.Entry<ModelBackend> backend = ref.backend();
        PluginRegistry.Entry<CamMethod> method = methods.get(request.method());
        checkOptions(method, request.options());
        String spec = request.target().isEmpty() ? DEFAULT_TARGET : request.target();
        int colon = spec.indexOf(':');
        String targetName = colon < 0 ? spec : spec.substring(0, colon);
        String targetArgument = colon < 0 ? "" : spec.substring(colon + 1);
        TargetResolver target = targets.get(targetName).service();

        List<RgbImage> images = timed(timings, "decode", () -> request.images().stream()
                .map(Images::decode)
                .map(i -> Images.resize(i, descriptor.inputWidth(), descriptor.inputHeight()))
                .toList());
        LoadedModel model = timed(timings, "load", ref::load);
        checkCapabilities(method, backend.name(), model);
        List<String> layers = request.layers().isEmpty() ? List.of(descriptor.defaultLayer()) : request.layers();
        Pipeline pipeline = new Pipeline(model, method.service(), method.name(), target, targetArgument, layers,
                request.options(), request.eigenSmooth(), request.progress());
        for (String layer : pipeline.layers()) {
            if (!model.layers().contains(layer)) {
                String hint = model.capabilityHint();
                throw new CamException("model '" + descriptor.name() + "' has no layer '" + layer + "'; its layers: "
                        + model.layers() + " (default: " + descriptor.defaultLayer() + ")"
                        + (hint.isEmpty() ? "" : ". " + hint));
            }
        }
        Tensor input = Images.preprocess(images, descriptor);
        try {
            List<Pipeline.ImageResult> results = pipeline.run(input, request.augSmooth());
            timings.putAll(pipeline.timings());
            List<ImageExplanation> explained = new ArrayList<>();
            // a classifier's prediction; outputs with more axes (segmentation maps) have none
            boolean classifier = results.get(0).outputShape().length == 1;
            for (int n = 0; n < images.size(); n++) {
                Pipeline.ImageResult r = results.get(n);
                int predicted = classifier ? argmax(r.output()) : -1;
                TargetScore score = r.score();
                explained.add(new ImageExplanation(request.images().get(n).label(), images.get(n), r.cam(),
                        r.output(), predicted, descriptor.label(predicted), score.description(), score.score(),
                        score.classIndex(), r.gradient(), r.concepts()));
            }
            return new Explanation(descriptor.name(), backend.name(), method.name(), pipeline.layers(),
                    descriptor.labels(), explained, timings);
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("explaining with model '" + descriptor.name() + "' on backend '" + backend.name()
                    + "' and method '" + method.name() + "' failed: " + e.getMessage(), e);
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
            throw new CamException("method '" + method.name() + "' has no option " + unknown + "; its options: "
                    + (known.isEmpty() ? "none" : describe(known)));
        }
    }

    private static String describe(Map<String, String> options) {
        return options.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(java.util.stream.Collectors.joining(", "));
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static <T> T timed(Map<String, Duration> timings, String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            timings.merge(stage, Duration.ofNanos(System.nanoTime() - start), Duration::plus);
        }
    }

    @Override
    public Comparison compare(ExplainRequest request, List<String> names, int columns) {
        List<String> chosen = names.isEmpty() ? methods.entries().stream().map(PluginRegistry.Entry::name).toList()
                : List.copyOf(names);
        List<PluginRegistry.Entry<CamMethod>> entries = chosen.stream().map(methods::get).toList();
        for (String option : request.options().keySet()) {
            if (entries.stream().noneMatch(e -> e.service().options().containsKey(option))) {
                throw new CamException("no compared method has option '" + option + "'; compared: " + chosen);
            }
        }
        ExplainRequest one = new ExplainRequest(request.model(), request.images().subList(0, 1), request.method(),
                request.layers(), request.target(), request.options(), request.augSmooth(), request.eigenSmooth(),
                request.progress());
        List<Comparison.Entry> results = new ArrayList<>();
        List<Tile> tiles = new ArrayList<>();
        RgbImage original = null;
        for (PluginRegistry.Entry<CamMethod> entry : entries) {
            Map<String, String> options = new java.util.TreeMap<>(one.options());
            options.keySet().retainAll(entry.service().options().keySet());
            long start = System.nanoTime();
            try {
                Explanation e = explain(new ExplainRequest(one.model(), one.images(), entry.name(), one.layers(),
                        one.target(), options, one.augSmooth(), one.eigenSmooth(), one.progress()));
                Duration time = Duration.ofNanos(System.nanoTime() - start);
                ImageExplanation image = e.images().get(0);
                if (original == null) {
                    original = image.image();
                    tiles.add(new Tile(original, "original", e.model() + ": " + image.predictedLabel()));
                }
                tiles.add(new Tile(render(e, 0, null, Map.of()), entry.name(),
                        image.target() + ", " + time.toMillis() + " ms"));
                results.add(new Comparison.Entry(entry.name(), e, null, time));
            } catch (CamException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                results.add(new Comparison.Entry(entry.name(), null, e.getMessage(),
                        Duration.ofNanos(System.nanoTime() - start)));
            }
        }
        if (original == null) {
            throw new CamException("no method could explain the image: " + results.stream()
                    .map(r -> r.method() + ": " + r.error()).collect(java.util.stream.Collectors.joining("; ")));
        }
        for (Comparison.Entry failed : results) {
            if (failed.error() != null) {
                tiles.add(new Tile(blank(original), failed.method(), "n/a: " + shortReason(failed.error())));
            }
        }
        int cols = columns > 0 ? columns : (tiles.size() <= 7 ? tiles.size() : (int) Math.ceil(Math.sqrt(tiles.size())));
        Montage layout = montage;
        if (layout == null) {
            throw new CamException("no Montage service is registered to lay out the comparison; install and start "
                    + "the bundle org.camkit.visual.opencv");
        }
        return new Comparison(results, layout.compose(tiles, cols));
    }

    private static RgbImage blank(RgbImage like) {
        byte[] grey = new byte[like.width() * like.height() * 3];
        java.util.Arrays.fill(grey, (byte) 0xE0);
        return new RgbImage(like.width(), like.height(), grey);
    }

    private static String shortReason(String error) {
        int cut = error.indexOf(';');
        String reason = cut > 0 ? error.substring(0, cut) : error;
        return reason.length() > 60 ? reason.substring(0, 57) + "..." : reason;
    }

    @Override
    public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
        if (image < 0 || image >= explanation.images().size()) {
            throw new CamException("image index " + image + " is out of range: the explanation has "
                    + explanation.images().size() + " image(s)");
        }
        ImageExplanation result = explanation.images().get(image);
        String name = visualizer == null || visualizer.isBlank()
                ? (result.gradient() != null ? "gradient" : !result.concepts().isEmpty() ? "concepts" : "overlay")
                : visualizer;
        return visualizers.get(name).service().render(new RenderRequest(result, explanation.labels(),
                options == null ? Map.of() : options));
    }

    @Override
    public List<PluginInfo> plugins(PluginInfo.Kind kind) {
        return switch (kind) {
            case BACKEND -> info(kind, backends, b -> List.of());
            case METHOD -> info(kind, methods, m -> java.util.stream.Stream.concat(
                    m.requires().stream().map(Enum::name).sorted(),
                    m.options().keySet().stream().sorted().map(o -> "option " + o)).toList());
            case TARGET -> info(kind, targets, t -> List.of());
            case VISUALIZER -> info(kind, visualizers, v -> List.of());
        };
    }

    private static <T> List<PluginInfo> info(PluginInfo.Kind kind, PluginRegistry<T> registry,
            java.util.function.Function<T, List<String>> details) {
        return registry.entries().stream()
                .map(e -> new PluginInfo(kind, e.name(), e.bundle(), details.apply(e.service())))
                .toList();
    }

    @Override
    public List<ModelInfo> models() {
        return models.registered().stream().map(r -> info(r.descriptor(), r.file())).toList();
    }

    private ModelInfo info(ModelDescriptor d, Path file) {
        return new ModelInfo(d.name(), d.backend(), file, d.inputWidth(), d.inputHeight(), d.labels(),
                d.defaultLayer());
    }

    @Override
    public ModelInfo model(String model) {
        ModelCatalog.Registered registered = models.find(model);
        return info(registered.descriptor(), registered.file());
    }

    @Override
    public List<String> layers(String model) {
        return resolve(model).load().layers();
    }

    @Override
    public List<String> capabilities(String model) {
        return Capability.of(resolve(model).load()).stream().map(Enum::name).sorted().toList();
    }

    @Override
    public ModelDescriptor descriptor(String model) {
        return models.find(model).descriptor();
    }

    @Override
    public Tensor preprocess(ModelDescriptor model, List<RgbImage> images) {
        return Images.preprocess(images.stream()
                .map(i -> Images.resize(i, model.inputWidth(), model.inputHeight())).toList(), model);
    }

    @Override
    public Path save(ModelDescriptor model, Path file) {
        return Descriptors.write(model, file);
    }

    /** A request's model: its descriptor file, the descriptor, and the backend that loads it. */
    private record ModelRef(ModelCatalog catalog, ModelCatalog.Registered model,
            PluginRegistry.Entry<ModelBackend> backend) {
        ModelDescriptor descriptor() {
            return model.descriptor();
        }

        LoadedModel load() {
            return catalog.load(model, backend.service());
        }
    }

    /** @return the model's descriptor and backend; fails naming the model or backend and the known ones */
    private ModelRef resolve(String model) {
        ModelCatalog.Registered registered = models.find(model);
        return new ModelRef(models, registered, backends.get(registered.descriptor().backend()));
    }
}
