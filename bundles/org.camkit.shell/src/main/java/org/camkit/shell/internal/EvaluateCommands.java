package org.camkit.shell.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.camkit.api.CamException;
import org.camkit.api.Dataset;
import org.camkit.api.Evaluation;
import org.camkit.api.EvaluationRequest;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.MetricSpec;
import org.camkit.api.PluginInfo;
import org.camkit.api.Progress;
import org.camkit.api.SanityCheck;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// The Gogo commands of scope cam that judge maps: list the metrics, evaluate methods on a dataset, and the
// model-randomisation sanity check.
@Component(service = EvaluateCommands.class)
@GogoCommand(scope = "cam", function = {"metrics", "evaluate", "sanity"})
public final class EvaluateCommands {
    /** Metrics run only when asked for: arcc explains every image a second time. */
    static final Set<String> NOT_BY_DEFAULT = Set.of("arcc");

    private final Explainer explainer;
    private final Evaluator evaluator;
    private final Supplier<PrintStream> progressOut;
    private final boolean inPlace;

    /**
     * @param explainer lists the metrics
     * @param evaluator runs evaluations
     * @param context   reads {@value CamCommands#PROGRESS}
     */
    @Activate
    public EvaluateCommands(@Reference Explainer explainer, @Reference Evaluator evaluator, BundleContext context) {
        this(explainer, evaluator, () -> System.err, !"lines".equals(context.getProperty(CamCommands.PROGRESS)));
    }

    EvaluateCommands(Explainer explainer, Evaluator evaluator, Supplier<PrintStream> progressOut, boolean inPlace) {
        this.explainer = explainer;
        this.evaluator = evaluator;
        this.progressOut = progressOut;
        this.inPlace = inPlace;
    }

    @Descriptor("lists the metrics of maps: what each measures, whether it needs ground truth, and its options"
            + " (--metric-option metric.option=value)")
    public String metrics() {
        List<PluginInfo> metrics = explainer.plugins(PluginInfo.Kind.METRIC);
        if (metrics.isEmpty()) {
            return "no metric plugins registered\n";
        }
        StringBuilder text = new StringBuilder();
        for (PluginInfo m : metrics) {
            List<String> details = m.details();
            text.append(m.name()).append("  (").append(m.bundle()).append(")\n");
            for (String line : details) {
                text.append("    ").append(line).append('\n');
            }
        }
        return text.toString();
    }

    @Descriptor("explains every image with every method, scores every map with every metric, prints the table"
            + " (mean, 95% interval, n) and, with --out, writes metrics.csv (as it goes), summary.json and charts;"
            + " --model and --images must be given (Gogo marks every option [optional]); Ctrl-C cancels")
    public String evaluate(
            @Descriptor("model name or descriptor path")
            @Parameter(names = {"-m", "--model"}, absentValue = Args.ABSENT) String model,
            @Descriptor("images: files, folders, .txt lists (a path per line) or globs (data/*.png), comma-separated")
            @Parameter(names = {"-i", "--images"}, absentValue = Args.ABSENT) String images,
            @Descriptor("COCO JSON ground truth (boxes, polygons) for the localisation metrics")
            @Parameter(names = {"--annotations"}, absentValue = Args.ABSENT) String annotations,
            @Descriptor("folder of mask PNGs named as the images, for the localisation metrics")
            @Parameter(names = {"--masks"}, absentValue = Args.ABSENT) String masks,
            @Descriptor("methods to compare, comma-separated (default gradcam)")
            @Parameter(names = {"--methods"}, absentValue = Args.ABSENT) String methods,
            @Descriptor("metrics, comma-separated (default: every registered metric the data allows but arcc, which"
                    + " explains each image twice; cam:metrics)")
            @Parameter(names = {"--metrics"}, absentValue = Args.ABSENT) String metrics,
            @Descriptor("target spec such as softmax:3 (default: the predicted class)")
            @Parameter(names = {"-t", "--target"}, absentValue = Args.ABSENT) String target,
            @Descriptor("target layer; repeat --layer or give a comma list (default: the model's default)")
            @Parameter(names = {"-l", "--layer"}, absentValue = Args.ABSENT) String layer,
            @Descriptor("a method option name=value, given to the methods that read it; repeat for several")
            @Parameter(names = {"--option"}, absentValue = Args.ABSENT) String option,
            @Descriptor("a metric option metric.name=value, e.g. deletion.steps=10; repeat for several")
            @Parameter(names = {"--metric-option"}, absentValue = Args.ABSENT) String metricOption,
            @Descriptor("folder for metrics.csv, summary.json, summary.png and the curves")
            @Parameter(names = {"-o", "--out"}, absentValue = Args.ABSENT) String out,
            @Descriptor("record images that cannot be explained or scored in the report and go on")
            @Parameter(names = {"--skip-bad"}, presentValue = "true", absentValue = "false") boolean skipBad,
            @Descriptor("further --layer, --option and --metric-option values") String... more) {
        long start = System.nanoTime();
        RepeatedOptions repeated = RepeatedOptions.withMetricOptions("cam:evaluate", layer, option, metricOption,
                more);
        String modelName = Args.required(model, "cam:evaluate needs --model <model name or descriptor path>;"
                + " cam:models lists the registered models");
        List<Path> imagePaths = Args.imagePaths("images", Args.required(images,
                "cam:evaluate needs --images <folder | files | list.txt | glob>"));
        Dataset dataset = evaluator.dataset(imagePaths, Args.optionalPath("annotations", annotations).orElse(null),
                Args.optionalPath("masks", masks).orElse(null));
        boolean truth = !dataset.truth().isEmpty();
        List<String> methodNames = methods(methods);
        List<String> metricNames = Args.given(metrics).map(m -> Args.commaList("metrics", m))
                .orElseGet(() -> explainer.plugins(PluginInfo.Kind.METRIC).stream()
                        .filter(p -> truth || !p.details().contains("needs ground truth"))
                        .map(PluginInfo::name).filter(name -> !NOT_BY_DEFAULT.contains(name)).toList());
        List<MetricSpec> specs = specs(metricNames, repeated.metricOptions());
        Path outDir = Args.optionalPath("out", out).map(Path::toAbsolutePath).orElse(null);

        Evaluation result;
        try (ProgressBar bar = new ProgressBar(progressOut.get(), System::nanoTime, inPlace)) {
            // one bar for the whole run: the passes inside each image would redraw it per metric
            Progress overall = only(Evaluator.PROGRESS, bar, "evaluating " + dataset.images().size() + " images");
            ExplainRequest explain = new ExplainRequest(modelName, dataset.images(), null, repeated.layers(),
                    Args.given(target).orElse(""), repeated.methodOptions(), false, false, overall, false);
            result = evaluator.evaluate(new EvaluationRequest(explain, methodNames, specs, dataset.truth(), skipBad,
                    outDir));
        } catch (CamException e) {
            return CamCommands.cancelled("cam:evaluate", e)
                    + (outDir == null ? "" : "what was scored so far is in " + outDir.resolve("metrics.csv") + "\n");
        }
        return table(result) + String.format(Locale.ROOT, "%d image(s) x %d method(s) x %d metric(s) on model %s,"
                + " target %s, in %.1f s%s%s%n", dataset.images().size(), methodNames.size(), specs.size(),
                result.model(), result.target(), (System.nanoTime() - start) / 1e9,
                result.skipped().isEmpty() ? "" : "; " + result.skipped().size() + " skipped (see metrics.csv)",
                result.files().isEmpty() ? "" : "; wrote " + String.join(", ",
                        result.files().stream().map(Path::toString).toList()));
    }

    @Descriptor("the model-randomisation sanity check (Adebayo et al. 2018): explains the images on the trained model"
            + " and on copies whose layers are re-initialised from the output down, one more per step, and prints the"
            + " mean Spearman rank correlation of each method's maps with the trained model's; a faithful method's"
            + " fall towards 0; --model and --images must be given")
    public String sanity(
            @Descriptor("model name or descriptor path (its backend must re-initialise layers: the demo CNN)")
            @Parameter(names = {"-m", "--model"}, absentValue = Args.ABSENT) String model,
            @Descriptor("images: files, folders, .txt lists or globs (data/*.png), comma-separated")
            @Parameter(names = {"-i", "--images"}, absentValue = Args.ABSENT) String images,
            @Descriptor("methods, comma-separated (default gradcam)")
            @Parameter(names = {"--methods"}, absentValue = Args.ABSENT) String methods,
            @Descriptor("target spec such as class:0 (default: the predicted class), fixed on the trained model")
            @Parameter(names = {"-t", "--target"}, absentValue = Args.ABSENT) String target,
            @Descriptor("target layer; repeat --layer or give a comma list (default: the model's default)")
            @Parameter(names = {"-l", "--layer"}, absentValue = Args.ABSENT) String layer,
            @Descriptor("a method option name=value, given to the methods that read it; repeat for several")
            @Parameter(names = {"--option"}, absentValue = Args.ABSENT) String option,
            @Descriptor("seed of the random weights (default 0)")
            @Parameter(names = {"--seed"}, absentValue = "0") long seed,
            @Descriptor("further --layer and --option values") String... more) {
        long start = System.nanoTime();
        RepeatedOptions repeated = RepeatedOptions.collect("cam:sanity", layer, option, more);
        String modelName = Args.required(model, "cam:sanity needs --model <model name or descriptor path>");
        Dataset dataset = evaluator.dataset(Args.imagePaths("images", Args.required(images,
                "cam:sanity needs --images <folder | files | list.txt | glob>")), null, null);
        List<String> methodNames = methods(methods);
        SanityCheck check;
        try (ProgressBar bar = new ProgressBar(progressOut.get(), System::nanoTime, inPlace)) {
            Progress steps = only(Evaluator.SANITY_PROGRESS, bar, "re-initialised models explained");
            check = evaluator.sanity(new ExplainRequest(modelName, dataset.images(), null, repeated.layers(),
                    Args.given(target).orElse(""), repeated.methodOptions(), false, false, steps, false),
                    methodNames, seed);
        } catch (CamException e) {
            return CamCommands.cancelled("cam:sanity", e);
        }
        return sanityTable(check) + String.format(Locale.ROOT, "mean Spearman correlation with the trained model's"
                + " maps over %d image(s) of model %s, target %s, seed %d, in %.1f s; a faithful method falls"
                + " towards 0 as layers are re-initialised%n", check.images(), check.model(), check.target(),
                check.seed(), (System.nanoTime() - start) / 1e9);
    }

    /** @return the methods of {@code --methods}, or Grad-CAM */
    private static List<String> methods(String given) {
        return Args.given(given).map(m -> Args.commaList("methods", m)).orElse(List.of(ExplainRequest.DEFAULT_METHOD));
    }

    /** @return a listener that shows only {@code task}'s progress on {@code bar}, as {@code label} */
    private static Progress only(String task, ProgressBar bar, String label) {
        return (reported, done, total) -> {
            if (reported.equals(task)) {
                bar.update(label, done, total);
            }
        };
    }

    /** @return the sanity check as a table: a row per step, a column per method */
    static String sanityTable(SanityCheck check) {
        List<String> headers = new ArrayList<>();
        headers.add("RE-INITIALISED");
        check.methods().forEach(m -> headers.add(m.toUpperCase(Locale.ROOT)));
        List<List<String>> rows = new ArrayList<>();
        for (int s = 0; s < check.steps().size(); s++) {
            List<String> row = new ArrayList<>();
            List<String> layers = check.steps().get(s);
            row.add(s == 0 ? layers.get(0) : "+" + layers.get(layers.size() - 1));
            for (List<Double> method : check.correlation()) {
                row.add(number(method.get(s)));
            }
            rows.add(row);
        }
        return Tables.format(headers, rows);
    }

    /** @return the metrics with the options given to each */
    static List<MetricSpec> specs(List<String> names, List<String> options) {
        Map<String, Map<String, String>> byMetric = new LinkedHashMap<>();
        names.forEach(n -> byMetric.put(n, new LinkedHashMap<>()));
        for (String given : options) {
            int dot = given.indexOf('.');
            int equals = given.indexOf('=');
            if (dot <= 0 || equals < dot + 2 || equals == given.length() - 1) {
                throw new CamException("--metric-option '" + given + "' is not metric.option=value; write e.g."
                        + " --metric-option deletion.steps=10 (cam:metrics lists each metric's options)");
            }
            String metric = given.substring(0, dot).trim();
            Map<String, String> own = byMetric.get(metric);
            if (own == null) {
                throw new CamException("--metric-option '" + given + "' names metric '" + metric + "', which is not"
                        + " among --metrics " + names);
            }
            own.put(given.substring(dot + 1, equals).trim(), given.substring(equals + 1).trim());
        }
        List<MetricSpec> specs = new ArrayList<>();
        byMetric.forEach((name, opts) -> specs.add(new MetricSpec(name, opts)));
        return specs;
    }

    /** @return the summary as a table: method, metric, mean, 95% interval, n */
    static String table(Evaluation result) {
        List<List<String>> rows = new ArrayList<>();
        for (Evaluation.Summary s : result.summary()) {
            rows.add(List.of(s.method(), s.metric(), number(s.mean()),
                    Double.isNaN(s.low()) ? "-" : "[" + number(s.low()) + ", " + number(s.high()) + "]",
                    Integer.toString(s.n())));
        }
        if (rows.isEmpty()) {
            return "no scores (every image was skipped)\n";
        }
        return Tables.format(List.of("METHOD", "METRIC", "MEAN", "95% INTERVAL", "N"), rows);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
