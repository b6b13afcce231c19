package org.camkit.bench.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cam:bench --http on fakes: the Explainer of {@link Fakes} in-process, and over HTTP a JDK server on loopback that
 * answers :explain as the REST API does (prediction, totalMs, the overlay as base64 PNG) and records what it was sent.
 */
class HttpRunTest {

    private static final String OVERLAY = Base64.getEncoder().encodeToString(new RgbImage(2, 2, new byte[12]).png());

    @TempDir
    Path work;

    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile int status = 200;
    private volatile String answer = "{\"model\": \"demo\", \"timingsMs\": {\"decode\": 1.5, \"forward\": 4}, "
            + "\"totalMs\": 7.5, \"explanations\": [{\"prediction\": 1, \"overlay\": \"" + OVERLAY + "\"}]}";

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static Settings settings(int size, int iterations, int warmup) {
        return new Settings(size, iterations, warmup, "", List.of(), List.of(), 1);
    }

    @Test
    void bothPathsRunTheSameRequestAtEachClientCountAndTheReportHasTheirRowsAndRatios() {
        Fakes fakes = new Fakes(work);
        String report = new HttpRun(fakes.bench(), base(), "").run("demo", settings(0, 3, 1), List.of(1, 2),
                List.of("overlay", "json"), Optional.empty());

        assertTrue(report.startsWith("cam:bench --http demo (backend pytorch) at 112x112, gradcam at relu4, outputs "
                + "overlay,json, on the synthetic picture as PNG"), report);
        assertTrue(report.contains("POST " + base() + "v1/models/demo:explain"), report);
        assertTrue(report.contains("same answer: in-process and HTTP predict class 1 / 1"), report);
        for (int clients : new int[] {1, 2}) {
            for (String path : List.of("in-process", "HTTP")) {
                String row = "\\s+" + clients + "\\s+" + path + "\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+" + 3 * clients;
                assertTrue(report.lines().anyMatch(l -> l.matches(row)), clients + " " + path + "\n" + report);
            }
            assertTrue(report.lines().anyMatch(l -> l.startsWith("HTTP / in-process at " + clients + " client")
                    && l.matches(".*: (PASS|MISS)")), report);
        }
        assertTrue(report.lines().anyMatch(l -> l.startsWith("verdict: ")), report);
        String stages = "  p50 ms by stage, in-process / HTTP: decode 1.00 / 1.50, forward 2.00 / 4.00, "
                + "backward 3.00 / -, cam 1.00 / -, overlay ";
        assertTrue(report.lines().anyMatch(l -> l.startsWith(stages) && l.contains(", client parse - / ")), report);
        // (1 warm-up + 3 measured) per client, at 1 and at 2 clients, on each path
        int requests = (1 + 3) * (1 + 2);
        assertEquals(requests, fakes.requests.size());
        assertEquals(requests, paths.stream().filter(p -> p.equals("POST /v1/models/demo:explain")).count());
        assertEquals(1 + 3, paths.stream().filter(p -> p.equals("GET /v1/models")).count(), "the floor: 1 warm-up and "
                + "3 measured");
        assertTrue(report.contains("the HTTP stack's floor, GET " + base() + "v1/models (no explanation; a short JSON "
                + "list) from 1 client: p50 "), report);
        ExplainRequest local = fakes.requests.get(0);
        assertEquals(List.of("gradcam", List.of("relu4")), List.of(local.method(), local.layers()));
        byte[] png = ((ImageInput.Encoded) local.images().get(0)).bytes();
        assertArrayEquals(Bench.syntheticImage(112).png(), png, "the synthetic picture, encoded as PNG");
        JsonObject sent = JsonParser.parseString(bodies.get(0)).getAsJsonObject();
        assertArrayEquals(png, Base64.getDecoder().decode(sent.getAsJsonArray("instances").get(0).getAsJsonObject()
                .get("b64").getAsString()), "the same bytes over HTTP");
        assertEquals("{\"method\":\"gradcam\",\"layer\":\"relu4\",\"outputs\":[\"overlay\",\"json\"]}",
                sent.get("parameters").toString());
        assertEquals(List.of("null"), authorizations.stream().distinct().toList(), "no token, no header");
        assertTrue(fakes.console().contains("2 clients, round 1/1: in-process p50 "), fakes.console());
    }

    @Test
    void aGivenPictureAndTokenAreSentAsTheyAre() throws IOException {
        Fakes fakes = new Fakes(work);
        Path picture = Files.write(work.resolve("scene.png"), new RgbImage(8, 8, new byte[192]).png());
        String report = new HttpRun(fakes.bench(), base(), "secret").run("demo", settings(0, 1, 0), List.of(1),
                List.of("json"), Optional.of(picture));

        assertTrue(report.lines().findFirst().orElseThrow().contains("outputs json, on " + picture), report);
        assertEquals(List.of("Bearer secret"), authorizations.stream().distinct().toList());
        assertArrayEquals(Files.readAllBytes(picture), ((ImageInput.Encoded) fakes.requests.get(0).images().get(0))
                .bytes());
    }

    @Test
    void aStatusOtherThan200FailsTheBenchWithTheApisMessage() {
        status = 401;
        answer = "{\"error\": \"this API needs a token\"}";
        Fakes fakes = new Fakes(work);
        HttpRun run = new HttpRun(fakes.bench(), base(), "");
        CamException e = assertThrows(CamException.class, () -> run.run("demo", settings(0, 2, 0), List.of(2),
                List.of("json"), Optional.empty()));
        assertTrue(e.getMessage().contains("answered 401: {\"error\": \"this API needs a token\"}")
                && e.getMessage().contains("--token"), e.getMessage());
    }

    @Test
    void aResponseWithoutTheAskedOverlayOrPredictionIsAFailureNotASample() {
        assertEquals(new HttpRun.Answer(7_500_000, 1, Map.of("decode", 1_500_000L, "forward", 4_000_000L)),
                HttpRun.answer(answer, true));
        String noOverlay = "{\"totalMs\": 7.5, \"explanations\": [{\"prediction\": 1}]}";
        assertEquals(1, HttpRun.answer(noOverlay, false).predicted());
        CamException e = assertThrows(CamException.class, () -> HttpRun.answer(noOverlay, true));
        assertTrue(e.getMessage().contains("explanations[0].overlay"), e.getMessage());
        assertThrows(CamException.class, () -> HttpRun.answer("{\"totalMs\": 1, \"explanations\": []}", false));
        assertThrows(CamException.class, () -> HttpRun.answer("{\"totalMs\": 1, \"explanations\": [{}]}", false));
        assertThrows(CamException.class, () -> HttpRun.answer("<html>busy</html>", false));
    }

    @Test
    void aDescriptorPathOrAnotherSizeIsRefusedAsTheApiServesRegisteredModelsOnly() {
        Fakes fakes = new Fakes(work);
        HttpRun run = new HttpRun(fakes.bench(), base(), "");
        CamException path = assertThrows(CamException.class, () -> run.run("models/demo.json", settings(0, 1, 0),
                List.of(1), List.of("json"), Optional.empty()));
        assertTrue(path.getMessage().contains("registered models: [demo, demo-tf]"), path.getMessage());
        CamException size = assertThrows(CamException.class, () -> run.run("demo", settings(64, 1, 0), List.of(1),
                List.of("json"), Optional.empty()));
        assertTrue(size.getMessage().contains("--size 64"), size.getMessage());
        assertTrue(bodies.isEmpty() && fakes.requests.isEmpty(), "refused before any request");
    }
}
