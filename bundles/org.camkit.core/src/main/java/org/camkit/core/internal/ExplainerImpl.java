package org.camkit.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.Comparison;
import org.camkit.api.Dataset;
import org.camkit.api.Evaluation;
import org.camkit.api.EvaluationRequest;
import org.camkit.api.Evaluator;
import org.camkit.api.Detection;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.GroundTruth;
import org.camkit.api.MetricSpec;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.Prediction;
import org.camkit.api.RgbImage;
import org.camkit.api.SanityCheck;
import org.camkit.spi.CamMethod;
import org.camkit.spi.CamMetric;
import org.camkit.spi.Charts;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelInputs;
import org.camkit.spi.Montage;
import org.camkit.spi.Plugins;
import org.camkit.spi.TargetResolver;
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
 * The {@link Explainer} and {@link Evaluator} service: keeps the registries of plugins and models that DS fills, and
 * hands each call to its step ({@link ExplainStep}, {@link CompareStep}, {@link RenderStep}, {@link EvaluateStep},
 * {@link Listings}). As {@link ModelInputs}
 * it lends tools the same model lookup and preprocessing.
 */
@Component(service = {Explainer.class, Evaluator.class, ModelInputs.class})
public final class ExplainerImpl implements Explainer, Evaluator, ModelInputs {

    /** Framework property naming the directory of registered model descriptors. */
    static final String MODELS_PROPERTY = "camkit.models";

    private final PluginRegistry<ModelBackend> backends = new PluginRegistry<>("backend", Plugins.BACKEND);
    private final PluginRegistry<CamMethod> methods = new PluginRegistry<>("method", Plugins.METHOD);
    private final PluginRegistry<TargetResolver> targets = new PluginRegistry<>("target", Plugins.TARGET);
    private final PluginRegistry<Visualizer> visualizers = new PluginRegistry<>("visualizer", Plugins.VISUALIZER);
    private final PluginRegistry<CamMetric> metrics = new PluginRegistry<>("metric", Plugins.METRIC);
    private final ModelCatalog models;
    private volatile Montage montage;
    private volatile Charts charts;
    private final ExplainStep explain;
    private final RenderStep render;
    private final CompareStep compare;
    private final EvaluateStep evaluate;
    private final SanityStep sanity;
    private final Listings listings;
    private final Limits limits;

    /** @param context used to read the framework properties {@code camkit.models} and {@code camkit.limits.*} */
    @Activate
    public ExplainerImpl(BundleContext context) {
        String dir = context.getProperty(MODELS_PROPERTY);
        this.limits = Limits.from(context::getProperty);
        this.models = new ModelCatalog(dir == null || dir.isBlank() ? null : Path.of(dir).toAbsolutePath(), limits);
        this.explain = new ExplainStep(models, backends, methods, targets, limits);
        this.render = new RenderStep(visualizers);
        this.compare = new CompareStep(methods, explain, render, () -> montage);
        this.evaluate = new EvaluateStep(models, backends, methods, metrics, explain, limits, () -> charts);
        this.sanity = new SanityStep(models, backends, methods, explain, limits);
        this.listings = new Listings(models, backends, methods, targets, visualizers, metrics);
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
        if (model.model() != null) {
            models.register(model, model.model());
        } else {
            models.register(model, model.broken());
        }
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMetric(CamMetric metric, ServiceReference<CamMetric> reference) {
        metrics.add(metric, reference);
    }

    void removeMetric(CamMetric metric) {
        metrics.remove(metric);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCharts(Charts charts) {
        this.charts = charts;
    }

    void unsetCharts(Charts charts) {
        if (this.charts == charts) {
            this.charts = null;
        }
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
        return explain.explain(request);
    }

    @Override
    public Comparison compare(ExplainRequest request, List<String> names, int columns) {
        return compare.compare(request, names, columns);
    }

    @Override
    public RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
        return render.render(explanation, image, visualizer, options);
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        return evaluate.evaluate(request);
    }

    @Override
    public Evaluation score(ExplainRequest request, Explanation explanation, List<MetricSpec> specs,
            List<GroundTruth> truth) {
        return evaluate.score(request, explanation, specs, truth);
    }

    @Override
    public SanityCheck sanity(ExplainRequest request, List<String> names, long seed) {
        return sanity.sanity(request, names, seed);
    }

    @Override
    public Dataset dataset(List<Path> images, Path annotations, Path masks) {
        return Datasets.read(images, annotations, masks, limits);
    }

    @Override
    public List<Prediction> predict(ExplainRequest request) {
        return explain.predict(request);
    }

    @Override
    public List<List<Detection>> detect(ExplainRequest request) {
        return explain.detect(request);
    }

    @Override
    public List<PluginInfo> plugins(PluginInfo.Kind kind) {
        return listings.plugins(kind);
    }

    @Override
    public List<ModelInfo> models() {
        return listings.models();
    }

    @Override
    public ModelInfo model(String model) {
        return listings.model(model);
    }

    @Override
    public List<String> layers(String model) {
        return listings.layers(model);
    }

    @Override
    public List<String> capabilities(String model) {
        return listings.capabilities(model);
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
}
