package org.camkit.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.Comparison;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.camkit.spi.CamMethod;
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
 * The {@link Explainer} service: keeps the registries of plugins and models that DS fills, and hands each call to
 * its step ({@link ExplainStep}, {@link CompareStep}, {@link RenderStep}, {@link Listings}). As {@link ModelInputs}
 * it lends tools the same model lookup and preprocessing.
 */
@Component(service = {Explainer.class, ModelInputs.class})
public final class ExplainerImpl implements Explainer, ModelInputs {

    /** Framework property naming the directory of registered model descriptors. */
    static final String MODELS_PROPERTY = "camkit.models";

    private final PluginRegistry<ModelBackend> backends = new PluginRegistry<>("backend", Plugins.BACKEND);
    private final PluginRegistry<CamMethod> methods = new PluginRegistry<>("method", Plugins.METHOD);
    private final PluginRegistry<TargetResolver> targets = new PluginRegistry<>("target", Plugins.TARGET);
    private final PluginRegistry<Visualizer> visualizers = new PluginRegistry<>("visualizer", Plugins.VISUALIZER);
    private final ModelCatalog models;
    private volatile Montage montage;
    private final ExplainStep explain;
    private final RenderStep render;
    private final CompareStep compare;
    private final Listings listings;

    /** @param context used to read the framework properties {@code camkit.models} and {@code camkit.limits.*} */
    @Activate
    public ExplainerImpl(BundleContext context) {
        String dir = context.getProperty(MODELS_PROPERTY);
        Limits limits = Limits.from(context::getProperty);
        this.models = new ModelCatalog(dir == null || dir.isBlank() ? null : Path.of(dir).toAbsolutePath(), limits);
        this.explain = new ExplainStep(models, backends, methods, targets, limits);
        this.render = new RenderStep(visualizers);
        this.compare = new CompareStep(methods, explain, render, () -> montage);
        this.listings = new Listings(models, backends, methods, targets, visualizers);
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
