package org.camkit.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.spi.CamMethod;
import org.camkit.spi.CamMetric;
import org.camkit.spi.Capability;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.Visualizer;

/** What is installed and registered: the plugins of each role, the models, a model's layers and capabilities. */
final class Listings {

    private final ModelCatalog models;
    private final PluginRegistry<ModelBackend> backends;
    private final PluginRegistry<CamMethod> methods;
    private final PluginRegistry<TargetResolver> targets;
    private final PluginRegistry<Visualizer> visualizers;
    private final PluginRegistry<CamMetric> metrics;

    /**
     * @param models      the registered models
     * @param backends    the registered backends
     * @param methods     the registered methods
     * @param targets     the registered target resolvers
     * @param visualizers the registered visualizers
     * @param metrics     the registered metrics
     */
    Listings(ModelCatalog models, PluginRegistry<ModelBackend> backends, PluginRegistry<CamMethod> methods,
            PluginRegistry<TargetResolver> targets, PluginRegistry<Visualizer> visualizers,
            PluginRegistry<CamMetric> metrics) {
        this.models = models;
        this.backends = backends;
        this.methods = methods;
        this.targets = targets;
        this.visualizers = visualizers;
        this.metrics = metrics;
    }

    /** See {@link org.camkit.api.Explainer#plugins}. */
    List<PluginInfo> plugins(PluginInfo.Kind kind) {
        return switch (kind) {
            case BACKEND -> info(kind, backends, b -> List.of());
            case METHOD -> info(kind, methods, m -> Stream.concat(
                    m.requires().stream().map(Enum::name).sorted(),
                    m.options().keySet().stream().sorted().map(o -> "option " + o)).toList());
            case TARGET -> info(kind, targets, t -> t.description().isEmpty() ? List.of() : List.of(t.description()));
            case VISUALIZER -> info(kind, visualizers, v -> List.of());
            case METRIC -> info(kind, metrics, m -> Stream.of(Stream.of(m.description()),
                    m.needsGroundTruth() ? Stream.of("needs ground truth") : Stream.<String>empty(),
                    m.options().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                            .map(o -> "option " + o.getKey() + ": " + o.getValue()))
                    .flatMap(x -> x).toList());
        };
    }

    private static <T> List<PluginInfo> info(PluginInfo.Kind kind, PluginRegistry<T> registry,
            Function<T, List<String>> details) {
        return registry.entries().stream()
                .map(e -> new PluginInfo(kind, e.name(), e.bundle(), details.apply(e.service())))
                .toList();
    }

    /** See {@link org.camkit.api.Explainer#models}. */
    List<ModelInfo> models() {
        return models.registered().stream().map(r -> info(r.descriptor(), r.file())).toList();
    }

    /** See {@link org.camkit.api.Explainer#model}. */
    ModelInfo model(String model) {
        ModelCatalog.Registered registered = models.find(model);
        return info(registered.descriptor(), registered.file());
    }

    private static ModelInfo info(ModelDescriptor d, Path file) {
        return new ModelInfo(d.name(), d.backend(), file, d.inputWidth(), d.inputHeight(), d.labels(),
                d.defaultLayer(), d.detection() != null);
    }

    /** See {@link org.camkit.api.Explainer#layers}. */
    List<String> layers(String model) {
        return ModelRef.resolve(models, backends, model).load().layers();
    }

    /** See {@link org.camkit.api.Explainer#capabilities}. */
    List<String> capabilities(String model) {
        return Capability.of(ModelRef.resolve(models, backends, model).load()).stream().map(Enum::name).sorted()
                .toList();
    }
}
