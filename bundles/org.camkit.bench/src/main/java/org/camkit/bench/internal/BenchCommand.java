package org.camkit.bench.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.camkit.api.CamException;
import org.camkit.api.Evaluator;
import org.camkit.api.Explainer;
import org.camkit.api.PluginInfo;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelInputs;
import org.camkit.spi.Plugins;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code cam:bench}: camkit's explain against each backend's own forward+backward ({@link EngineBaseline}), in these
 * modes: Grad-CAM's overhead (default), every method ({@code --methods}), one network on two backends
 * ({@code --twin} or {@code --network}), resident memory ({@code --soak}), the perturbation metrics
 * ({@code --metrics}), and the REST API against explain in-process ({@code --http}).
 */
@Component(service = BenchCommand.class)
@GogoCommand(scope = "cam", function = "bench")
public final class BenchCommand {

    private static final String DEFAULT_MODEL = "demo-biased";
    /** The batch sizes swept by --methods, and the one compared across backends, unless given. */
    private static final String SWEEP = "8,16,32,64";
    private static final String TWIN_BATCH_SIZE = "16";
    private static final String TWIN_METHODS = "scorecam";
    /** The JAX-RS Whiteboard's runtime service, by name: the bench talks HTTP and imports none of its packages. */
    private static final String JAXRS_RUNTIME = "org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime";
    private static final String JAXRS_ENDPOINT = "osgi.jaxrs.endpoint";
    /** The framework property with the REST API's token (./camkit serve sets it from CAMKIT_TOKEN). */
    private static final String TOKEN_PROPERTY = "camkit.rest.token";

    /** An engine baseline with its service reference, which ranks duplicates of one backend. */
    private record Registered(EngineBaseline baseline, ServiceReference<EngineBaseline> reference) {
        String backend() {
            return String.valueOf(reference.getProperty(Plugins.BACKEND));
        }
    }

    private final Explainer explainer;
    private final Evaluator evaluator;
    private final ModelInputs inputs;
    private final BundleContext context;
    private final List<Registered> baselines = new CopyOnWriteArrayList<>();

    /**
     * @param explainer the service whose explain calls are timed
     * @param inputs    core's model lookup and preprocessing, for the engine baselines' input
     * @param context   finds the REST API's endpoint (--http) and reads its token
     */
    @Activate
    public BenchCommand(@Reference Explainer explainer, @Reference ModelInputs inputs,
            @Reference Evaluator evaluator, BundleContext context) {
        this.explainer = explainer;
        this.inputs = inputs;
        this.evaluator = evaluator;
        this.context = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBaseline(EngineBaseline baseline, ServiceReference<EngineBaseline> reference) {
        baselines.add(new Registered(baseline, reference));
    }

    void removeBaseline(EngineBaseline baseline) {
        baselines.removeIf(r -> r.baseline() == baseline);
    }

    /** @return the highest-ranked engine baseline of a backend */
    EngineBaseline baseline(String backend) {
        return baselines.stream().filter(r -> r.backend().equals(backend))
                .max((a, b) -> a.reference().compareTo(b.reference())).map(Registered::baseline)
                .orElseThrow(() -> new CamException("cam:bench: backend '" + backend + "' registers no engine "
                        + "baseline (an EngineBaseline service with " + Plugins.BACKEND + "=" + backend + ") to time "
                        + "explain against; backends with one: " + new TreeSet<>(baselines.stream()
                                .map(Registered::backend).toList())));
    }

    @Descriptor("benchmarks camkit's explain against the backend's own forward+backward to the target layer, batch 1. "
            + "Default: Grad-CAM's overhead (decode, render and PNG encode apart); --methods: every method, "
            + "scorecam, ablationcam, lime, kernelshap and partitionshap per batch size (the last three with forward "
            + "passes/s), scorecam also fast; --twin or --network: Grad-CAM on one network on two "
            + "backends, then scorecam on both; --metrics: deletion and insertion against the engine's batched "
            + "forward of the same passes; --http: Grad-CAM through the REST API against explain in-process at 1, 2 "
            + "and 4 clients (requests/s, p50, p99). Medians and p90 in ms, ratios to the raw pass")
    public String bench(CommandSession session,
            @Descriptor("model name or descriptor path (default demo-biased; with --network the network's model); "
                    + "its backend must register an engine baseline")
            @Parameter(names = {"-m", "--model"}, absentValue = "") String model,
            @Descriptor("the same network on another backend (name or descriptor path): compares explain on both")
            @Parameter(names = {"--twin"}, absentValue = "") String twin,
            @Descriptor("a network on TensorFlow and PyTorch: democnn (demo-biased-tensorflow vs demo-biased) or "
                    + "resnet (fixtures/tensorflow/resnet224.json vs fixtures/torchscript/resnet.json, run from the "
                    + "repository root)")
            @Parameter(names = {"--network"}, absentValue = "") String network,
            @Descriptor("input width and height in pixels (default: the model's own size)")
            @Parameter(names = {"-s", "--size"}, absentValue = "0") int size,
            @Descriptor("measured iterations (default 30; with --http measured requests per client and path)")
            @Parameter(names = {"-n", "--iterations"}, absentValue = "30") int iterations,
            @Descriptor("warm-up iterations, not measured (default 5; with --http per client and path)")
            @Parameter(names = {"-w", "--warmup"}, absentValue = "5") int warmup,
            @Descriptor("target layer (default: the model's default layer; see cam:layers)")
            @Parameter(names = {"-l", "--layer"}, absentValue = "") String layer,
            @Descriptor("the methods to time (comma-separated, or 'all'); with --twin or --network the batched "
                    + "methods compared on both backends (default scorecam; 'none' skips them)")
            @Parameter(names = {"--methods"}, absentValue = "") String methods,
            @Descriptor("measured runs of a method whose first run takes over 1 s, and with --twin of each batched "
                    + "method per backend (default 3)")
            @Parameter(names = {"--slow-iterations"}, absentValue = "3") int slowIterations,
            @Descriptor("the values of the option batch-size for scorecam, ablationcam, lime, kernelshap and "
                    + "partitionshap (default 8,16,32,64; with --twin 16)")
            @Parameter(names = {"--batch-sizes"}, absentValue = "") String batchSizes,
            @Descriptor("instead: this many Grad-CAM explanations in a row, with the process's resident memory at ten"
                    + " checkpoints (flat: < 5 % growth after a warm-up of a tenth)")
            @Parameter(names = {"--soak"}, absentValue = "0") int soak,
            @Descriptor("instead: time these perturbation metrics (deletion,insertion) on one Grad-CAM map against the"
                    + " engine's batched forward of the same passes")
            @Parameter(names = {"--metrics"}, absentValue = "") String metrics,
            @Descriptor("the metrics' steps (default 20: 21 perturbed passes)")
            @Parameter(names = {"--steps"}, absentValue = "20") int steps,
            @Descriptor("with --methods or --http: a picture to explain instead of the synthetic one (e.g. a held-out "
                    + "scene of the demo, which `./camkit demo --export-dataset DIR` writes)")
            @Parameter(names = {"--image"}, absentValue = "") String image,
            @Descriptor("instead: Grad-CAM through this runtime's REST API (POST :explain over loopback; needs the "
                    + "feature rest) against Explainer.explain in-process, both at each client count: requests/s, "
                    + "p50, p99 and the ratios HTTP / in-process (goal: p50 under 1.10)")
            @Parameter(names = {"--http"}, presentValue = "true", absentValue = "false") boolean http,
            @Descriptor("with --http: the concurrent clients, each in a closed loop (default 1,2,4)")
            @Parameter(names = {"--clients"}, absentValue = "1,2,4") String clients,
            @Descriptor("with --http: what :explain returns, overlay and/or json (default overlay,json, as the API's "
                    + "own default; the in-process path renders the overlay too)")
            @Parameter(names = {"--outputs"}, absentValue = "overlay,json") String outputs,
            @Descriptor("with --http: the API's bearer token (default: the framework property camkit.rest.token)")
            @Parameter(names = {"--token"}, absentValue = "") String token) {
        Bench bench = new Bench(explainer, inputs, this::baseline, session.getConsole(), workDir());
        List<String> registered = explainer.plugins(PluginInfo.Kind.METHOD).stream().map(PluginInfo::name).toList();
        if (!network.isBlank() || !twin.isBlank()) {
            TwinRun.Network preset = network.isBlank() ? null : TwinRun.Network.parse(network);
            String spec = methods.isBlank() ? TWIN_METHODS : methods;
            List<String> batched = spec.trim().equalsIgnoreCase("none") ? List.of() : MethodTable.methods(spec,
                    registered);
            List<String> unbatched = batched.stream().filter(m -> !MethodTable.BATCHED.contains(m)).toList();
            if (!unbatched.isEmpty()) {
                throw new CamException("cam:bench --twin compares the batched methods " + MethodTable.BATCHED
                        + " across backends (Grad-CAM always); " + unbatched + " are not batched: time them with "
                        + "--methods on each model");
            }
            Settings settings = new Settings(size, iterations, warmup, layer, batched,
                    MethodTable.batchSizes(batchSizes.isBlank() ? TWIN_BATCH_SIZE : batchSizes), slowIterations);
            return new TwinRun(bench).run(preset, pick(model, preset == null ? DEFAULT_MODEL : preset.model),
                    pick(twin, preset == null ? "" : preset.twin), settings);
        }
        String subject = pick(model, DEFAULT_MODEL);
        if (http) {
            String property = context.getProperty(TOKEN_PROPERTY);
            return new HttpRun(bench, restEndpoint(), pick(token, property == null ? "" : property)).run(subject,
                    new Settings(size, iterations, warmup, layer, List.of(), List.of(), slowIterations),
                    HttpTable.clients(clients), HttpTable.outputs(outputs),
                    image.isBlank() ? Optional.empty() : Optional.of(Path.of(image)));
        }
        if (!metrics.isBlank()) {
            return new MetricsRun(bench, evaluator).run(subject, new Settings(size, iterations, warmup, layer,
                    List.of(), List.of(), slowIterations), Arrays.stream(metrics.split(",")).map(String::trim)
                    .filter(m -> !m.isEmpty()).toList(), steps);
        }
        if (soak > 0) {
            return new SoakRun(bench).run(subject, soak, new Settings(size, iterations, warmup, layer, List.of(),
                    List.of(), slowIterations));
        }
        if (!methods.isBlank()) {
            Settings settings = new Settings(size, iterations, warmup, layer, MethodTable.methods(methods, registered),
                    MethodTable.batchSizes(batchSizes.isBlank() ? SWEEP : batchSizes), slowIterations);
            return new MethodsRun(bench).run(subject, settings,
                    image.isBlank() ? Optional.empty() : Optional.of(Path.of(image)));
        }
        return new OverheadRun(bench).run(subject, new Settings(size, iterations, warmup, layer, List.of(), List.of(),
                slowIterations));
    }

    /** @return the base URI of this runtime's REST API: the highest-ranked JAX-RS runtime's endpoint */
    private URI restEndpoint() {
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences(JAXRS_RUNTIME, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter given, yet: " + e.getMessage(), e);
        }
        return Arrays.stream(references == null ? new ServiceReference<?>[0] : references)
                .max(ServiceReference::compareTo).flatMap(r -> HttpTable.endpoint(r.getProperty(JAXRS_ENDPOINT)))
                .orElseThrow(() -> new CamException("cam:bench --http times this runtime's REST API, and it serves "
                        + "none: no " + JAXRS_RUNTIME + " service with an " + JAXRS_ENDPOINT + ". Start the runtime "
                        + "with the feature 'rest' (the one ./camkit serve starts), e.g. ./camkit --feature rest "
                        + "cam:bench --http"));
    }

    private static String pick(String given, String fallback) {
        return given.isBlank() ? fallback : given;
    }

    private static Path workDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "camkit-bench");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CamException("cam:bench: cannot create " + dir + ": " + e.getMessage()
                    + "; check that java.io.tmpdir is writable", e);
        }
    }

}
