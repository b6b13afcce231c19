package org.camkit.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LayerData;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Plugins;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.TargetRequest;
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

/** The explanation pipeline: picks plugins by name from the registry and runs DESIGN.md's data flow. */
@Component(service = Explainer.class)
public final class ExplainerImpl implements Explainer {

    /** Framework property naming the directory of registered model descriptors. */
    static final String MODELS_PROPERTY = "camkit.models";
    /** The target spec used when a request names none. */
    static final String DEFAULT_TARGET = "predicted";

    private final PluginRegistry<ModelBackend> backends = new PluginRegistry<>("backend", Plugins.BACKEND);
    private final PluginRegistry<CamMethod> methods = new PluginRegistry<>("method", Plugins.METHOD);
    private final PluginRegistry<TargetResolver> targets = new PluginRegistry<>("target", Plugins.TARGET);
    private final PluginRegistry<Visualizer> visualizers = new PluginRegistry<>("visualizer", Plugins.VISUALIZER);
    private final ModelCatalog models;

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

    @Override
    public Explanation explain(ExplainRequest request) {
        Map<String, Duration> timings = new LinkedHashMap<>();
        // Resolve every name before any inference runs.
        ModelRef ref = resolve(request.model());
        ModelDescriptor descriptor = ref.descriptor();
        PluginRegistry.Entry<ModelBackend> backend = ref.backend();
        PluginRegistry.Entry<CamMethod> method = methods.get(request.method());
        checkCapabilities(method, backend, descriptor);
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
        List<String> layers = request.layers().isEmpty() ? List.of(descriptor.defaultLayer()) : request.layers();
        for (String layer : layers) {
            if (!model.layers().contains(layer)) {
                throw new CamException("model '" + descriptor.name() + "' has no layer '" + layer + "'; its layers: "
                        + model.layers() + " (default: " + descriptor.defaultLayer() + ")");
            }
        }
        Tensor input = Images.preprocess(images, descriptor);
        boolean needsGradients = method.service().requires().contains(Capability.GRADIENTS);
        try (ForwardPass pass = timed(timings, "forward", () -> model.forward(input, layers))) {
            Tensor output = pass.output();
            List<TargetScore> scores = new ArrayList<>();
            for (int n = 0; n < images.size(); n++) {
                scores.add(target.resolve(new TargetRequest(targetArgument, row(output, n), descriptor)));
            }
            Map<String, Tensor> gradients = needsGradients
                    ? timed(timings, "backward", () -> pass.gradients(seeds(output, scores)))
                    : Map.of();
            List<float[]> cams = timed(timings, "cam", () -> cams(method.service(), pass, layers, gradients,
                    scores, descriptor));
            List<ImageExplanation> results = new ArrayList<>();
            for (int n = 0; n < images.size(); n++) {
                float[] logits = row(output, n);
                int predicted = argmax(logits);
                TargetScore score = scores.get(n);
                results.add(new ImageExplanation(request.images().get(n).label(), images.get(n), cams.get(n), logits,
                        predicted, descriptor.label(predicted), score.description(), score.score(),
                        score.classIndex()));
            }
            return new Explanation(descriptor.name(), backend.name(), method.name(), layers, results, timings);
        } catch (CamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CamException("explaining with model '" + descriptor.name() + "' on backend '" + backend.name()
                    + "' and method '" + method.name() + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Per image, the map at input size: per layer the method's map, ReLU, normalise, resize; then the layer mean,
     * renormalised — also for one layer, as pytorch-grad-cam does (upsampling moves the maximum off 1).
     */
    private static List<float[]> cams(CamMethod method, ForwardPass pass, List<String> layers,
            Map<String, Tensor> gradients, List<TargetScore> scores, ModelDescriptor descriptor) {
        float[] targetScores = new float[scores.size()];
        for (int n = 0; n < targetScores.length; n++) {
            targetScores[n] = scores.get(n).score();
        }
        List<List<float[]>> perImage = new ArrayList<>();
        for (String layer : layers) {
            Tensor map = method.compute(new LayerData(layer, pass.activations(layer), gradients.get(layer),
                    targetScores));
            int h = map.dim(1);
            int w = map.dim(2);
            float[] data = map.data();
            for (int n = 0; n < scores.size(); n++) {
                float[] one = java.util.Arrays.copyOfRange(data, n * h * w, (n + 1) * h * w);
                if (perImage.size() <= n) {
                    perImage.add(new ArrayList<>());
                }
                perImage.get(n).add(CamOps.perLayer(one, w, h, descriptor.inputWidth(), descriptor.inputHeight()));
            }
        }
        return perImage.stream().map(CamOps::aggregate).toList();
    }

    private static void checkCapabilities(PluginRegistry.Entry<CamMethod> method,
            PluginRegistry.Entry<ModelBackend> backend, ModelDescriptor descriptor) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(method.service().requires());
        missing.removeAll(backend.service().capabilities());
        if (!missing.isEmpty()) {
            throw new CamException("method '" + method.name() + "' needs " + missing + "; backend '" + backend.name()
                    + "' (model '" + descriptor.name() + "') does not provide them; it provides "
                    + backend.service().capabilities());
        }
    }

    private static Tensor seeds(Tensor output, List<TargetScore> scores) {
        int k = output.dim(1);
        float[] seed = new float[scores.size() * k];
        for (int n = 0; n < scores.size(); n++) {
            float[] s = scores.get(n).seed();
            if (s.length != k) {
                throw new CamException("target '" + scores.get(n).description() + "' gave a seed of " + s.length
                        + " values for an output of " + k);
            }
            System.arraycopy(s, 0, seed, n * k, k);
        }
        return new Tensor(output.shape(), seed);
    }

    private static float[] row(Tensor output, int n) {
        int k = output.dim(1);
        return java.util.Arrays.copyOfRange(output.data(), n * k, (n + 1) * k);
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
    public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
        if (image < 0 || image >= explanation.images().size()) {
            throw new CamException("image index " + image + " is out of range: the explanation has "
                    + explanation.images().size() + " image(s)");
        }
        ImageExplanation result = explanation.images().get(image);
        return visualizers.get(visualizer).service().render(new RenderRequest(result.image(), result.cam(), options));
    }

    @Override
    public List<PluginInfo> plugins(PluginInfo.Kind kind) {
        return switch (kind) {
            case BACKEND -> info(kind, backends, b -> b.capabilities().stream().map(Enum::name).sorted().toList());
            case METHOD -> info(kind, methods, m -> m.requires().stream().map(Enum::name).sorted().toList());
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
    public List<String> layers(String model) {
        return resolve(model).load().layers();
    }

    /** A request's model: its descriptor file, the descriptor, and the backend that loads it. */
    private record ModelRef(ModelCatalog catalog, Path file, ModelDescriptor descriptor,
            PluginRegistry.Entry<ModelBackend> backend) {
        LoadedModel load() {
            return catalog.load(file, descriptor, backend.service());
        }
    }

    /** @return the model's descriptor and backend; fails naming the model or backend and the known ones */
    private ModelRef resolve(String model) {
        Path file = models.descriptorFile(model);
        ModelDescriptor descriptor = Descriptors.read(file);
        return new ModelRef(models, file, descriptor, backends.get(descriptor.backend()));
    }
}
