package org.camkit.it;

import static org.camkit.it.RestClient.get;
import static org.camkit.it.RestClient.json;
import static org.camkit.it.RestClient.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// The REST API under load and under its limits (configuration org.camkit.rest written to deploy/ as FileInstall
// reads it, and removed after each test), over real HTTP on loopback in the shared runtime.
@ExtendWith(FelixRuntime.class)
class RestLimitsIT {
    private static final String TOKEN = "it-s3cret";
    private static final String[] BEARER = {"Authorization", "Bearer " + TOKEN};
    private static final Path CONFIG = FelixRuntime.deployDir().resolve("org.camkit.rest.cfg");
    private static final List<byte[]> IMAGES = new ArrayList<>();

    @BeforeAll
    static void scenes() throws InterruptedException {
        FelixRuntime.await(() -> RestClient.status("v1/models") == 200, "GET /v1/models to answer 200");
        for (int i = 0; i < 8; i++) {
            IMAGES.add(Scenes.scene(FelixRuntime.explainer(), Scenes.BIASED, 100 + i, i % 2, i % 3 == 0).image().png());
        }
    }

    @AfterEach
    void defaults() throws IOException, InterruptedException {
        if (Files.deleteIfExists(CONFIG)) {
            FelixRuntime.await(() -> RestClient.status("v1/models") == 200, "the default configuration (no token)");
        }
    }

    @Test
    void withATokenConfiguredOnlyRequestsBearingItAreServed() throws Exception {
        configure(Map.of());

        HttpResponse<String> missing = get("v1/models");
        assertEquals(401, missing.statusCode(), missing.body());
        assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertTrue(json(missing).get("error").getAsString().contains("Authorization: Bearer <token>"));
        assertEquals(401, get("v1/models", "Authorization", "Bearer wrong").statusCode());
        assertEquals(401, post("v1/models/demo-biased:explain", IMAGES.get(0), null).statusCode());
        assertEquals(200, get("v1/models", BEARER).statusCode());
        assertEquals(200, post("v1/models/demo-biased:explain", IMAGES.get(0), null, BEARER).statusCode());
        assertEquals(200, get("openapi.json").statusCode(), "the API's description is public");
    }

    @Test
    void anUploadOverTheLimitIs413AndTooManyImages400() throws Exception {
        configure(Map.of("maxUploadBytes", "400000", "maxImages", "2"));

        byte[] noise = new byte[450000];
        new java.util.Random(1).nextBytes(noise);
        HttpResponse<String> large = post("v1/models/demo-biased:explain", noise, null, BEARER);
        assertEquals(413, large.statusCode(), large.body());
        assertEquals("body", json(large).get("culprit").getAsString());
        assertTrue(json(large).get("error").getAsString().contains("maxUploadBytes"), large.body());

        String three = "{\"instances\": [" + String.join(", ", Collections.nCopies(3, "{\"b64\": \""
                + java.util.Base64.getEncoder().encodeToString(IMAGES.get(1)) + "\"}")) + "]}";
        HttpResponse<String> many = RestClient.postBody("v1/models/demo-biased:predict", "application/json",
                three.getBytes(java.nio.charset.StandardCharsets.UTF_8), BEARER);
        assertEquals(400, many.statusCode(), many.body());
        assertTrue(json(many).get("error").getAsString().contains("maxImages"), many.body());
        assertEquals(200, post("v1/models/demo-biased:explain", IMAGES.get(1), null, BEARER).statusCode());
    }

    @Test
    void eightClientsGetTheMapsTheExplainerComputesSerially() throws Exception {
        // 8 clients x 25 requests, each client cycling over the 8 images, under the default limits
        List<float[]> serial = new ArrayList<>();
        for (byte[] image : IMAGES) {
            serial.add(FelixRuntime.explainer().explain(ExplainRequest.builder(Scenes.BIASED)
                    .image(ImageInput.of("instances[0]", image)).build()).images().get(0).cam());
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                runs.add(clients.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    for (int r = 0; r < 25; r++) {
                        int i = (client + r) % IMAGES.size();
                        HttpResponse<String> response = post("v1/models/demo-biased:explain", IMAGES.get(i),
                                "{\"outputs\": [\"map\"]}");
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                            continue;
                        }
                        float[] map = RestClient.npy(json(response).getAsJsonArray("explanations").get(0)
                                .getAsJsonObject().get("map").getAsString(), 112 * 112);
                        if (!java.util.Arrays.equals(serial.get(i), map)) {
                            failures.add("client " + client + " request " + r + ": the map of image " + i
                                    + " differs from the serial one");
                        }
                    }
                    return failures;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                failures.addAll(run.get());
            }
            assertEquals(List.of(), failures, "200 requests, every map identical to the serial one");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void beyondTwoRunningAndFourWaitingRequestsGet429AndTheWaitingAreServed() throws Exception {
        configure(Map.of("maxConcurrent", "2", "queueLength", "4"));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            // two that would run for minutes (LIME, 100,000 samples) hold both places; four Score-CAMs wait
            List<Future<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String id = "held-" + i;
                String parameters = i < 2 ? "{\"method\": \"lime\", \"options\": {\"samples\": 100000}, "
                        + "\"requestId\": \"" + id + "\"}" : "{\"method\": \"scorecam\", \"requestId\": \"" + id + "\"}";
                byte[] image = IMAGES.get(i);
                held.add(pool.submit(() -> post("v1/models/demo-biased:explain", image, parameters, BEARER)));
                String state = i < 2 ? "running" : "queued";
                FelixRuntime.await(() -> RestClient.requestState(id, BEARER).map(r -> r.get("state").getAsString())
                        .orElse("unseen").equals(state), id + " to be " + state);
            }
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> refused = post("v1/models/demo-biased:explain", IMAGES.get(i % IMAGES.size()),
                        null, BEARER);
                assertEquals(429, refused.statusCode(), "two run and four wait: " + refused.body());
                assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
                assertTrue(json(refused).get("error").getAsString().startsWith("camkit is busy"), refused.body());
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(204, RestClient.delete("v1/requests/held-" + i, BEARER).statusCode());
                assertEquals(409, held.get(i).get().statusCode(), "held-" + i + " cancelled");
            }
            for (int i = 2; i < 6; i++) {
                HttpResponse<String> served = held.get(i).get();
                assertEquals(200, served.statusCode(), "held-" + i + " waited and is served: " + served.body());
                assertEquals("scorecam", json(served).get("method").getAsString());
            }
        } finally {
            for (String holder : List.of("held-0", "held-1")) { // a failed assertion leaves no LIME run behind
                try {
                    RestClient.delete("v1/requests/" + holder, BEARER);
                } catch (IOException e) {
                    // the assertion's failure is the one to report; the run ends at the API's timeout anyway
                }
            }
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestOverTheTimeoutIsCancelledAnd504() throws Exception {
        configure(Map.of("timeoutSeconds", "1"));

        long start = System.nanoTime();
        HttpResponse<String> response = post("v1/models/demo-biased:explain", IMAGES.get(2),
                "{\"method\": \"lime\", \"options\": {\"samples\": 100000}, \"requestId\": \"too-slow\"}", BEARER);
        assertEquals(504, response.statusCode(), response.body());
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "answered at the limit, not when LIME would end");
        FelixRuntime.await(() -> RestClient.status("v1/models") == 401, "the API to keep serving");
        assertEquals("cancelled", json(get("v1/requests/too-slow", BEARER)).get("state").getAsString());
        assertEquals(200, post("v1/models/demo-biased:predict", IMAGES.get(2), null, BEARER).statusCode());
    }

    @Test
    void aPortInTheConfigurationMovesTheApiAndDeletingTheConfigurationMovesItBack() throws Exception {
        int port = -1;
        try {
            // a port found free may be taken by another process before the HTTP service binds it: then another one
            for (int attempt = 0; attempt < 3 && port < 0; attempt++) {
                int free;
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                        java.net.InetAddress.getLoopbackAddress())) {
                    free = socket.getLocalPort();
                }
                Files.writeString(CONFIG, "port=" + free + "\nbind=127.0.0.1\n");
                java.net.URI moved = java.net.URI.create("http://127.0.0.1:" + free + "/v1/models");
                try {
                    port = FelixRuntime.awaitValue(() -> RestClient.status(moved) == 200
                            && FelixRuntime.restBase().getPort() == free ? java.util.Optional.of(free)
                            : java.util.Optional.empty(), java.time.Duration.ofSeconds(20),
                            "the API to answer on port " + free + ", the endpoint the runtime announces");
                } catch (AssertionError taken) {
                    // try another port
                }
            }
            assertTrue(port > 0, "the API answers on the port of its configuration, the endpoint the runtime announces");
        } finally {
            Files.deleteIfExists(CONFIG);
        }
        // the framework's own port again (0 here: a free one the HTTP service picks)
        java.net.URI moved = java.net.URI.create("http://127.0.0.1:" + port + "/v1/models");
        FelixRuntime.await(() -> RestClient.status(moved) == -1 && RestClient.status("v1/models") == 200,
                "the API to leave port " + port + " and serve on the framework's");
    }

    /** Writes the configuration with the token (its 401 shows it took effect) and waits until it has. */
    private static void configure(Map<String, String> settings) throws IOException, InterruptedException {
        Map<String, String> all = new TreeMap<>(settings);
        all.put("token", TOKEN);
        StringBuilder text = new StringBuilder();
        all.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(CONFIG, text);
        FelixRuntime.await(() -> RestClient.status("v1/models") == 401, "configuration " + all + " to take effect");
    }
}
