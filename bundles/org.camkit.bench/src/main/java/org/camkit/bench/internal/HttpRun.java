package org.camkit.bench.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;

/*
 * cam:bench --http: Grad-CAM through the REST API (POST :explain, base64 JSON, over loopback with java.net.http)
 * against the same request through Explainer.explain in this process, at each client count: C clients, each in a
 * closed loop. Both paths explain the same encoded picture (decoded alike) and, when the request asks for the overlay,
 * render it and encode it as PNG; the HTTP path also parses the response. Rounds of up to ROUND requests per client
 * alternate which path goes first, so that both see the same stretch of the run; requests per second are the rounds'
 * requests over their wall-clock time. Progress goes to the console; the report is returned.
 */
final class HttpRun {

    /** Measured requests per client in one round. */
    static final int ROUND = 10;
    private static final String METHOD = "gradcam";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    /** The in-process path's overlay: rendering it and encoding it as PNG. */
    static final String OVERLAY = "overlay";
    /** The HTTP client's reading of the response: JSON, and the overlay's base64. */
    static final String PARSE = "client parse";

    /**
     * One request: its latency, the time explain itself reported, the class it predicted, the response's bytes, and
     * explain's stages with the path's own steps ({@link #OVERLAY}, {@link #PARSE}) in nanoseconds.
     */
    private record Timed(long nanos, long inside, int predicted, int bytes, Map<String, Long> stages) {
    }

    /**
     * What an :explain response says.
     *
     * @param insideNanos the time explain itself took: its {@code totalMs}
     * @param predicted   the class it predicted
     * @param stages      explain's stages ({@code timingsMs}) in nanoseconds, in the response's order
     */
    record Answer(long insideNanos, int predicted, Map<String, Long> stages) {
    }

    /** One round of one path: every client's requests and the round's wall-clock time. */
    private record Round(List<Timed> requests, long nanos) {
    }

    private final Bench bench;
    private final URI endpoint;
    private final String token;

    /**
     * @param bench    the Explainer timed in-process, and the console
     * @param endpoint the REST API's base URI (the JAX-RS runtime's {@code osgi.jaxrs.endpoint})
     * @param token    the bearer token to send, or empty for none
     */
    HttpRun(Bench bench, URI endpoint, String token) {
        this.bench = bench;
        this.endpoint = endpoint;
        this.token = token;
    }

    /**
     * @param model    a registered model name (the REST API takes no descriptor paths)
     * @param settings the requests per client and path ({@code iterations}), the warm-up, the layer
     * @param clients  the client counts, in order
     * @param outputs  what :explain returns, among {@link HttpTable#OUTPUTS}
     * @param picture  a picture to explain instead of the synthetic one, or empty
     * @return the report
     */
    String run(String model, Settings settings, List<Integer> clients, List<String> outputs, Optional<Path> picture) {
        List<String> registered = bench.explainer().models().stream().map(ModelInfo::name).toList();
        if (!registered.contains(model)) {
            throw new CamException("cam:bench --http explains a registered model by name, as the REST API takes no "
                    + "descriptor paths; '" + model + "' is not one; registered models: " + registered);
        }
        if (settings.size() != 0) {
            throw new CamException("cam:bench --http explains at the model's own size: the REST API serves registered "
                    + "models only, so --size " + settings.size() + " cannot name a descriptor copy; leave it out");
        }
        Subject subject = bench.subject(model, 0);
        String layer = settings.layerOr(subject.descriptor().defaultLayer());
        byte[] image = picture.map(HttpRun::read).orElseGet(() -> Bench.syntheticImage(subject.size()).png());
        boolean overlay = outputs.contains("overlay");
        ExplainRequest local = ExplainRequest.builder(model).image(ImageInput.of("instances[0]", image)).method(METHOD)
                .layer(layer).build();
        URI uri = endpoint.resolve("v1/models/" + model + ":explain");
        byte[] body = body(image, layer, outputs);
        HttpRequest remote = authorized(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))).build();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        PrintStream console = bench.console();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<HttpTable.Row> rows = new ArrayList<>();
        List<Timed> firstLocal = new ArrayList<>();
        List<Timed> firstRemote = new ArrayList<>();
        int most = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
        ExecutorService pool = Executors.newFixedThreadPool(most, daemons());
        try {
            Callable<Timed> inProcess = () -> local(local, overlay);
            Callable<Timed> overHttp = () -> remote(http, remote, overlay, uri);
            for (int c : clients) {
                if (settings.warmup() > 0) {
                    console.printf(Locale.ROOT, "%d client%s: warm-up, %d requests per client on each path%n", c,
                            c == 1 ? "" : "s", settings.warmup());
                    Round a = round(pool, c, settings.warmup(), inProcess);
                    Round b = round(pool, c, settings.warmup(), overHttp);
                    if (firstLocal.isEmpty()) {
                        firstLocal.addAll(a.requests());
                        firstRemote.addAll(b.requests());
                    }
                }
                List<Timed> localTimes = new ArrayList<>();
                List<Timed> remoteTimes = new ArrayList<>();
                long localNanos = 0;
                long remoteNanos = 0;
                int rounds = (settings.iterations() + ROUND - 1) / ROUND;
                for (int r = 0; r < rounds; r++) {
                    int k = Math.min(ROUND, settings.iterations() - r * ROUND);
                    Round a;
                    Round b;
                    if ((r & 1) == 0) {
                        a = round(pool, c, k, inProcess);
                        b = round(pool, c, k, overHttp);
                    } else {
                        b = round(pool, c, k, overHttp);
                        a = round(pool, c, k, inProcess);
                    }
                    localTimes.addAll(a.requests());
                    remoteTimes.addAll(b.requests());
                    localNanos += a.nanos();
                    remoteNanos += b.nanos();
                    console.printf(Locale.ROOT, "%d client%s, round %d/%d: in-process p50 %.1f ms, HTTP p50 %.1f ms%n",
                            c, c == 1 ? "" : "s", r + 1, rounds, Samples.median(nanos(a.requests())) / 1e6,
                            Samples.median(nanos(b.requests())) / 1e6);
                }
                if (firstLocal.isEmpty()) {
                    firstLocal.addAll(localTimes);
                    firstRemote.addAll(remoteTimes);
                }
                rows.add(row(c, HttpTable.IN_PROCESS, localTimes, localNanos));
                rows.add(row(c, HttpTable.HTTP, remoteTimes, remoteNanos));
            }
        } finally {
            pool.shutdownNow();
        }
        URI list = endpoint.resolve("v1/models");
        List<Long> floor = floor(http, list, settings);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "cam:bench --http %s (backend %s) at %dx%d, %s at %s, outputs %s, on %s "
                + "(%.1f kB)%n", model, subject.backend(), subject.size(), subject.size(), METHOD, layer,
                String.join(",", outputs), picture.map(Path::toString).orElse("the synthetic picture as PNG"),
                image.length / 1e3));
        out.append(String.format(Locale.ROOT, "HTTP: POST %s, JSON with the picture in base64 (request %.1f kB, "
                + "response %.1f kB), java.net.http HTTP/1.1 over loopback, the response parsed%s; in-process: "
                + "Explainer.explain on the same encoded picture%s%n", uri, body.length / 1e3,
                firstRemote.get(0).bytes() / 1e3, overlay ? " and its overlay decoded from base64" : "",
                overlay ? ", then the overlay rendered and encoded as PNG" : ""));
        out.append(String.format(Locale.ROOT, "%d measured requests per client and path after %d warm-up, each client "
                + "in a closed loop; rounds of up to %d requests per client alternate which path goes first; %d CPU "
                + "threads%n", settings.iterations(), settings.warmup(), ROUND,
                Runtime.getRuntime().availableProcessors()));
        if (most > Runtime.getRuntime().availableProcessors()) {
            out.append(String.format(Locale.ROOT, "the REST API runs at most maxConcurrent requests at once "
                    + "(configuration org.camkit.rest; default one per core, %d here) and queues the rest, while "
                    + "in-process calls all run at once%n", Runtime.getRuntime().availableProcessors()));
        }
        out.append(String.format(Locale.ROOT, "system load average (1 min): %.2f at start, %.2f at end; other "
                + "processes on this machine inflate both paths%n", loadBefore, loadAfter));
        out.append(agreement(firstLocal, firstRemote)).append('\n');
        out.append(HttpTable.format(rows));
        out.append(String.format(Locale.ROOT, "the HTTP stack's floor, GET %s (no explanation; a short JSON list) from "
                + "1 client: p50 %.2f ms, p99 %.2f ms over %d requests%n", list, Samples.median(floor) / 1e6,
                Samples.p99(floor) / 1e6, floor.size()));
        return out.toString();
    }

    // the request with the bearer token, when there is one
    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token.isBlank() ? request : request.header("Authorization", "Bearer " + token.trim());
    }

    /**
     * Times a request that does no work, one at a time after the warm-up: what Jetty, the JAX-RS runtime, the API's
     * token check and the client cost on their own.
     *
     * @return the measured latencies
     */
    private List<Long> floor(HttpClient http, URI uri, Settings settings) {
        HttpRequest request = authorized(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET()).build();
        List<Long> nanos = new ArrayList<>();
        try {
            for (int i = -settings.warmup(); i < settings.iterations(); i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw failure("GET", uri, response.statusCode(), response.body());
                }
                if (i >= 0) {
                    nanos.add(elapsed);
                }
            }
        } catch (IOException e) {
            throw new CamException("cam:bench --http: GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CamException("cam:bench --http was interrupted timing GET " + uri, e);
        }
        bench.console().printf(Locale.ROOT, "GET %s: p50 %.1f ms%n", uri, Samples.median(nanos) / 1e6);
        return nanos;
    }

    /** The request body: {@code {"instances": [{"b64": ...}], "parameters": {"method", "layer", "outputs"}}}. */
    static byte[] body(byte[] image, String layer, List<String> outputs) {
        JsonObject instance = new JsonObject();
        instance.addProperty("b64", Base64.getEncoder().encodeToString(image));
        JsonArray instances = new JsonArray();
        instances.add(instance);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("method", METHOD);
        parameters.addProperty("layer", layer);
        JsonArray wanted = new JsonArray();
        outputs.forEach(wanted::add);
        parameters.add("outputs", wanted);
        JsonObject json = new JsonObject();
        json.add("instances", instances);
        json.add("parameters", parameters);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Timed local(ExplainRequest request, boolean overlay) {
        long start = System.nanoTime();
        Explanation explanation = bench.explainer().explain(request);
        long explained = System.nanoTime();
        if (overlay && bench.explainer().render(explanation, 0, null, Map.of()).png().length == 0) {
            throw new CamException("cam:bench --http: the PNG encoder wrote nothing for the overlay");
        }
        long end = System.nanoTime();
        Map<String, Long> stages = new LinkedHashMap<>();
        explanation.timings().forEach((stage, time) -> stages.put(stage, time.toNanos()));
        if (overlay) {
            stages.put(OVERLAY, end - explained);
        }
        return new Timed(end - start, explanation.total().toNanos(), explanation.images().get(0).predicted(), 0,
                stages);
    }

    private Timed remote(HttpClient http, HttpRequest request, boolean overlay, URI uri)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw failure("POST", uri, response.statusCode(), response.body());
        }
        long received = System.nanoTime();
        Answer answer = answer(response.body(), overlay);
        long end = System.nanoTime();
        Map<String, Long> stages = new LinkedHashMap<>(answer.stages());
        stages.put(PARSE, end - received);
        return new Timed(end - start, answer.insideNanos(), answer.predicted(), response.body().length(), stages);
    }

    /**
     * Reads an :explain response as a client would: its first explanation's prediction and, when asked for, its
     * overlay decoded from base64.
     *
     * @throws CamException naming what the response lacks
     */
    static Answer answer(String body, boolean overlay) {
        try {
            JsonObject json = JsonParser.parseString(body).getAsJsonObject();
            JsonElement explanations = json.get("explanations");
            JsonElement total = json.get("totalMs");
            if (explanations == null || !explanations.isJsonArray() || explanations.getAsJsonArray().isEmpty()
                    || total == null) {
                throw new CamException("cam:bench --http: the :explain response has no explanations or no totalMs: "
                        + abbreviate(body));
            }
            JsonObject first = explanations.getAsJsonArray().get(0).getAsJsonObject();
            JsonElement prediction = first.get("prediction");
            if (prediction == null) {
                throw new CamException("cam:bench --http: the :explain response has no explanations[0].prediction: "
                        + abbreviate(body));
            }
            if (overlay) {
                JsonElement png = first.get("overlay");
                byte[] bytes = png == null ? new byte[0] : Base64.getDecoder().decode(png.getAsString());
                if (bytes.length < PNG_SIGNATURE.length
                        || !Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
                    throw new CamException("cam:bench --http: asked for the overlay, the :explain response has no "
                            + "PNG in explanations[0].overlay: " + abbreviate(body));
                }
            }
            Map<String, Long> stages = new LinkedHashMap<>();
            JsonElement timings = json.get("timingsMs");
            if (timings != null && timings.isJsonObject()) {
                timings.getAsJsonObject().entrySet().forEach(e -> stages.put(e.getKey(),
                        Math.round(e.getValue().getAsDouble() * 1e6)));
            }
            return new Answer(Math.round(total.getAsDouble() * 1e6), prediction.getAsInt(), stages);
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException
                | UnsupportedOperationException e) {
            // not JSON, or a value of another JSON type (Gson's getAs... throw these); bad base64
            throw new CamException("cam:bench --http: the :explain response is not what the REST API writes ("
                    + e.getMessage() + "): " + abbreviate(body), e);
        }
    }

    /** @return the error for a status other than 200, with the API's message and what to do about it */
    static CamException failure(String method, URI uri, int status, String body) {
        String hint = switch (status) {
            case 401, 403 -> "; give the API's token with --token (or the framework property camkit.rest.token)";
            case 429 -> "; the API's queue is full: fewer --clients, or a larger maxConcurrent or queueLength in "
                    + "configuration org.camkit.rest";
            default -> "";
        };
        return new CamException("cam:bench --http: " + method + " " + uri + " answered " + status + ": "
                + abbreviate(body) + hint);
    }

    /** Runs {@code perClient} calls on each of {@code clients} threads at once, and times the whole round. */
    private static Round round(ExecutorService pool, int clients, int perClient, Callable<Timed> call) {
        List<Callable<List<Timed>>> tasks = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            tasks.add(() -> {
                List<Timed> done = new ArrayList<>();
                for (int k = 0; k < perClient && !Thread.currentThread().isInterrupted(); k++) {
                    done.add(call.call());
                }
                return done;
            });
        }
        List<Timed> requests = new ArrayList<>();
        long start = System.nanoTime();
        try {
            List<Future<List<Timed>>> futures = pool.invokeAll(tasks);
            long nanos = System.nanoTime() - start;
            for (Future<List<Timed>> future : futures) {
                requests.addAll(future.get());
            }
            return new Round(requests, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CamException("cam:bench --http was interrupted at " + clients + " clients", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CamException camException) {
                throw camException;
            }
            throw new CamException("cam:bench --http: a request at " + clients + " clients failed: " + cause, cause);
        }
    }

    private static HttpTable.Row row(int clients, String path, List<Timed> requests, long nanos) {
        Samples stages = new Samples();
        requests.forEach(r -> r.stages().forEach(stages::add));
        Map<String, Double> medians = new LinkedHashMap<>();
        stages.names().forEach(stage -> medians.put(stage, stages.median(stage)));
        return new HttpTable.Row(clients, path, nanos(requests), requests.stream().map(Timed::inside).toList(),
                nanos / 1e9, medians);
    }

    private static List<Long> nanos(List<Timed> requests) {
        return requests.stream().map(Timed::nanos).toList();
    }

    /** Whether both paths gave the same answer: the classes each predicted. */
    private static String agreement(List<Timed> local, List<Timed> remote) {
        TreeSet<Integer> a = new TreeSet<>(local.stream().map(Timed::predicted).toList());
        TreeSet<Integer> b = new TreeSet<>(remote.stream().map(Timed::predicted).toList());
        return a.equals(b) && a.size() == 1
                ? "same answer: in-process and HTTP predict class " + a.first() + " / " + b.first()
                : "WARNING, the two paths disagree: in-process predicts " + a + ", HTTP " + b;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CamException("cam:bench --http: cannot read --image " + file + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        String one = text.replaceAll("\\s+", " ").trim();
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }

    private static ThreadFactory daemons() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "cam-bench-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
