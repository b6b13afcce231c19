package org.camkit.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.camkit.api.Evaluation;
import org.camkit.api.EvaluationRequest;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.GroundTruth;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.MetricSpec;
import org.camkit.api.RgbImage;
import org.camkit.spi.CamMethod;
import org.camkit.spi.CamMetric;
import org.camkit.spi.Charts;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.camkit.spi.Tensor;
import org.camkit.spi.TruthRegion;

/**
 * Evaluations: every image explained with every method, every map scored with every metric, one image at a time;
 * the scores go to a {@link Tally} and, with an output directory, to a {@link Report} as they come. Every name,
 * option and the need for ground truth is checked before any image is explained.
 */
final class EvaluateStep {

    private final ModelCatalog models;
    private final PluginRegistry<ModelBackend> backends;
    private final PluginRegistry<CamMethod> methods;
    private final PluginRegistry<CamMetric> metrics;
    private final ExplainStep explain;
    private final Limits limits;
    private final Supplier<Charts> charts;

    /**
     * @param models   the registered models
     * @param backends the registered backends
     * @param methods  the registered methods
     * @param metrics  the registered metrics
     * @param explain  explains each image
     * @param limits   the images and passes are checked against them
     * @param charts   the chart service, or a supplier of null when none is registered
     */
    EvaluateStep(ModelCatalog models, PluginRegistry<ModelBackend> backends, PluginRegistry<CamMethod> methods,
            PluginRegistry<CamMetric> metrics, ExplainStep explain, Limits limits, Supplier<Charts> charts) {
        this.models = models;
        this.backends = backends;
        this.methods = methods;
        this.metrics = metrics;
        this.explain = explain;
        this.limits = limits;
        this.charts = charts;
    }

    /** A metric chosen by a request, with its options and the name of its values in the report. */
    private record Chosen(String name, CamMetric metric, Map<String, String> options, String column) {
    }

    /** One image, decoded, preprocessed and run once unperturbed, with its ground truth on the model's grid. */
    private record Subject(String label, RgbImage picture, LoadedModel model, Tensor input, float[] output,
            TargetScore score, List<TruthRegion> regions) {
    }

    /** See {@link org.camkit.api.Evaluator#evaluate}. */
    Evaluation evaluate(EvaluationRequest request) {
        ExplainRequest base = request.explain();
        List<Chosen> chosen = choose(request.metrics(), !request.truth().isEmpty());
        Map<String, Map<String, String>> options = methodOptions(methods, request.methods(), base.options());
        ModelRef ref = ModelRef.resolve(models, backends, base.model());
        Probe.Target target = explain.target(base.target());
        Tally tally = new Tally();
        int n = base.images().size();
        try (Report report = Report.open(request.out(), charts.get())) {
            for (int i = 0; i < n; i++) {
                Probe.checkCancelled("the evaluation");
                ImageInput image = base.images().get(i);
                String label = image.label();
                Subject subject;
                try {
                    subject = subject(ref, target, image, request.truth().isEmpty() ? null
                            : request.truth().get(i));
                } catch (CamException e) {
                    bad(request.skipBad(), tally, report, label, "", i, n, e);
                    continue;
                }
                for (String method : request.methods()) {
                    try {
                        ExplainRequest one = new ExplainRequest(base.model(),
                                List.of(new ImageInput.Pixels(subject.picture())), method, base.layers(),
                                base.target(), options.get(method), base.augSmooth(), base.eigenSmooth(),
                                base.progress(), false, base.aggregation());
                        Explanation explanation = explain.explain(one);
                        for (Evaluation.Score score : score(subject, one, explanation,
                                explanation.images().get(0).cam(), chosen, target, tally)) {
                            report.score(score);
                        }
                    } catch (CamException e) {
                        bad(request.skipBad(), tally, report, label, method, i, n, e);
                    }
                }
                base.progress().update(Evaluator.PROGRESS, i + 1, n);
            }
            Evaluation result = tally.result(ref.descriptor().name(), spec(base), request.methods());
            return report.finish(result);
        }
    }

    /** See {@link org.camkit.api.Evaluator#score}. */
    Evaluation score(ExplainRequest request, Explanation explanation, List<MetricSpec> specs,
            List<GroundTruth> truth) {
        if (explanation.images().size() != request.images().size()) {
            throw new CamException("the explanation has " + explanation.images().size() + " images, the request "
                    + request.images().size());
        }
        if (!truth.isEmpty() && truth.size() != request.images().size()) {
            throw new CamException(truth.size() + " ground truths for " + request.images().size() + " images");
        }
        List<Chosen> chosen = choose(specs, !truth.isEmpty());
        ModelRef ref = ModelRef.resolve(models, backends, request.model());
        Probe.Target target = explain.target(request.target());
        ExplainRequest method = request.withMethod(explanation.method());
        Tally tally = new Tally();
        for (int i = 0; i < request.images().size(); i++) {
            ImageInput image = request.images().get(i);
            Subject subject = subject(ref, target, image, truth.isEmpty() ? null : truth.get(i));
            ImageExplanation explained = explanation.images().get(i);
            ModelDescriptor model = ref.descriptor();
            float[] map = explained.width() == model.inputWidth() && explained.height() == model.inputHeight()
                    ? explained.cam()
                    : MapProcessing.resize(explained.cam(), explained.width(), explained.height(),
                            model.inputWidth(), model.inputHeight());
            score(subject, method, explanation, map, chosen, target, tally);
        }
        return tally.result(ref.descriptor().name(), spec(request), List.of(explanation.method()));
    }

    private static String spec(ExplainRequest request) {
        return request.target().isEmpty() ? ExplainStep.DEFAULT_TARGET : request.target();
    }

    /** Scores one map of one image with every chosen metric. */
    private List<Evaluation.Score> score(Subject subject, ExplainRequest request, Explanation explanation,
            float[] map, List<Chosen> chosen, Probe.Target target, Tally tally) {
        ModelDescriptor model = subject.model().descriptor();
        int w = model.inputWidth();
        int h = model.inputHeight();
        String method = explanation.method();
        CamMethod service = methods.get(method).service();
        // the method runs again (ARCC) on the target it explained; the metrics score with the request's
        Probe.Target explained = explain.target(request.target(), service, model);
        Pipeline pipeline = new Pipeline(subject.model(), service, method, explained.resolver(),
                explained.argument(), explanation.layers(), request.options(), request.eigenSmooth(),
                request.aggregation(), request.progress(), limits);
        List<Evaluation.Score> scores = new ArrayList<>();
        for (Chosen c : chosen) {
            MetricPasses passes = new MetricPasses(subject.model(), target, subject.output(), pipeline,
                    request.augSmooth(), limits, request.progress(), c.name() + " " + method);
            MetricData data = new MetricData(method, subject.input(), Tensor.copyOf(map, 1, h, w),
                    List.of(subject.output()), new float[] {subject.score().score()},
                    new int[] {subject.score().classIndex()}, List.of(subject.regions()), passes, c.options());
            MetricValues values;
            try {
                values = c.metric().score(data);
            } catch (CamException e) {
                throw new CamException("metric '" + c.name() + "': " + e.getMessage(), e);
            }
            scores.addAll(tally.add(subject.label(), method, c.name(), c.column(), values));
        }
        return scores;
    }

    private Subject subject(ModelRef ref, Probe.Target target, ImageInput image, GroundTruth truth) {
        ModelDescriptor model = ref.descriptor();
        RgbImage picture = Images.decode(image, limits);
        List<TruthRegion> regions = truth == null ? List.of()
                : Regions.rasterise(truth, image.label(), picture.width(), picture.height(), model.inputWidth(),
                        model.inputHeight());
        LoadedModel loaded = ref.load();
        Tensor input = Images.preprocess(List.of(Images.resize(picture, model.inputWidth(), model.inputHeight())),
                model);
        try (ForwardPass pass = loaded.forward(input, List.of())) {
            float[] output = Pipeline.rows(pass.output()).get(0);
            TargetScore score = target.resolver().resolve(new TargetRequest(target.argument(), output, model, null,
                    Pipeline.imageShape(pass.output())));
            return new Subject(image.label(), picture, loaded, input, output, score, regions);
        }
    }

    /** Records a bad image and goes on with {@code skipBad}; else stops, naming the image. Cancellation stops. */
    private static void bad(boolean skipBad, Tally tally, Report report, String image, String method, int index,
            int images, CamException e) {
        String where = "image '" + image + "' (" + (index + 1) + " of " + images + ")"
                + (method.isEmpty() ? "" : ", method '" + method + "'");
        if (!skipBad || Thread.currentThread().isInterrupted()) {
            throw new CamException(where + ": " + e.getMessage()
                    + (Thread.currentThread().isInterrupted() ? "" : " (--skip-bad records it and goes on)"), e);
        }
        Evaluation.Skipped skipped = new Evaluation.Skipped(image, method, e.getMessage());
        tally.skip(skipped);
        report.skipped(skipped);
    }

    /** Resolves the metrics, checks their options, and that ground truth is there for those that need it. */
    private List<Chosen> choose(List<MetricSpec> specs, boolean truth) {
        if (specs.isEmpty()) {
            throw new CamException("no metric given; registered metrics: " + metrics.names());
        }
        List<Chosen> chosen = new ArrayList<>();
        for (MetricSpec spec : specs) {
            PluginRegistry.Entry<CamMetric> entry = metrics.get(spec.name());
            CamMetric metric = entry.service();
            List<String> unknown = spec.options().keySet().stream()
                    .filter(o -> !metric.options().containsKey(o)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new CamException("metric '" + spec.name() + "' has no option " + unknown + "; its options: "
                        + (metric.options().isEmpty() ? "none" : metric.options().keySet().stream().sorted().toList()));
            }
            if (metric.needsGroundTruth() && !truth) {
                throw new CamException("metric '" + spec.name() + "' compares maps with annotated objects and the "
                        + "request has no ground truth: give annotations (--annotations coco.json) or masks "
                        + "(--masks <dir>), or choose metrics that need none: " + metrics.entries().stream()
                                .filter(e -> !e.service().needsGroundTruth()).map(PluginRegistry.Entry::name)
                                .toList());
            }
            if (chosen.stream().anyMatch(c -> c.column().equals(spec.column()))) {
                throw new CamException("metric '" + spec.column() + "' is asked for twice; give the second one"
                        + " another column name (MetricSpec.column) to score it with other options");
            }
            chosen.add(new Chosen(entry.name(), metric, spec.options(), spec.column()));
        }
        return chosen;
    }

    /**
     * @param methods the registered methods
     * @param names   the methods of a request
     * @param options the request's method options
     * @return per method the request's options it reads
     * @throws CamException for an unknown method, or an option no method reads
     */
    static Map<String, Map<String, String>> methodOptions(PluginRegistry<CamMethod> methods, List<String> names,
            Map<String, String> options) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> unread = new ArrayList<>(options.keySet());
        for (String name : names) {
            Map<String, String> known = methods.get(name).service().options();
            Map<String, String> own = new LinkedHashMap<>();
            options.forEach((k, v) -> {
                if (known.containsKey(k)) {
                    own.put(k, v);
                }
            });
            unread.removeAll(own.keySet());
            out.put(name, own);
        }
        if (!unread.isEmpty()) {
            throw new CamException("no method of " + names + " has the option " + unread.stream().sorted().toList()
                    + "; check its spelling (cam:methods lists each method's options)");
        }
        return out;
    }
}
