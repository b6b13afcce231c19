package org.camkit.it;

import static org.camkit.it.FelixRuntime.await;
import static org.camkit.it.RestClient.get;
import static org.camkit.it.RestClient.json;
import static org.camkit.it.RestClient.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;

// Hot deploy under load: while clients explain with gradcam over HTTP, the bundle that provides gradcam is updated
// and a new method bundle is added through deploy/; every request is answered 200 or a clean, retryable 503.
@ExtendWith(FelixRuntime.class)
class RestHotDeployIT {
    private static final String METHOD = "meanactivation";
    private static final String GRADCAM_BUNDLE = "org.camkit.method.gradcam";

    @Test
    void updatingAndAddingMethodBundlesUnderLoadFailsNoRequestUncleanly(CamkitRuntime runtime) throws Exception {
        await(() -> RestClient.status("v1/models") == 200, "GET /v1/models to answer 200");
        byte[] image = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 21, SceneGenerator.CHARMANDER, true)
                .image().png();
        Path example = Path.of(System.getProperty("camkit.example.bundle"));
        Path deployed = FelixRuntime.deployDir().resolve(example.getFileName());
        assertTrue(!get("v1/plugins/methods").body().contains("\"" + METHOD + "\""), "not installed before the test");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger afterUpdate = new AtomicInteger();
        AtomicBoolean updated = new AtomicBoolean();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> unclean = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                runs.add(clients.submit(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> r = RestIT.call(() -> post("v1/models/demo-clean:explain", image,
                                "{\"method\": \"gradcam\", \"outputs\": [\"json\"]}"));
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        boolean retryable = r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()
                                && json(r).has("error");
                        if (r.statusCode() == 200 && updated.get()) {
                            afterUpdate.incrementAndGet();
                        } else if (r.statusCode() != 200 && !retryable) {
                            unclean.add(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            await(() -> statuses.getOrDefault(200, 0) >= 8, "the clients to be served before the update");

            Bundle gradcam = Arrays.stream(runtime.context().getBundles())
                    .filter(b -> GRADCAM_BUNDLE.equals(b.getSymbolicName())).findFirst().orElseThrow();
            gradcam.update();
            updated.set(true);
            Files.copy(example, deployed, StandardCopyOption.REPLACE_EXISTING);
            await(() -> RestIT.call(() -> get("v1/plugins/methods")).body().contains("\"" + METHOD + "\""),
                    METHOD + " to be served after it was added to deploy/");
            await(() -> afterUpdate.get() >= 8, "gradcam to be served again after its bundle was updated");
            stop.set(true);
            for (Future<?> run : runs) {
                run.get();
            }

            Map<Integer, Integer> seen = new TreeMap<>(statuses);
            assertEquals(List.of(), unclean, "answers other than 200 or a retryable 503: " + seen);
            assertTrue(seen.keySet().stream().allMatch(s -> s == 200 || s == 503), seen::toString);
            HttpResponse<String> fresh = post("v1/models/demo-clean:explain", image,
                    "{\"method\": \"" + METHOD + "\"}");
            assertEquals(200, fresh.statusCode(), fresh.body());
            assertEquals(METHOD, json(fresh).get("method").getAsString());
        } finally {
            stop.set(true);
            clients.shutdownNow();
            Files.deleteIfExists(deployed);
        }
        await(() -> !RestIT.call(() -> get("v1/plugins/methods")).body().contains("\"" + METHOD + "\""),
                METHOD + " to go once removed from deploy/");
    }

    @Test
    void stoppingTheApiAnswersARunningRequest503AndItServesAgainOnceStarted(CamkitRuntime runtime) throws Exception {
        await(() -> RestClient.status("v1/models") == 200, "GET /v1/models to answer 200");
        byte[] image = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 22, SceneGenerator.BULBASAUR, false)
                .image().png();
        Bundle rest = Arrays.stream(runtime.context().getBundles())
                .filter(b -> "org.camkit.rest".equals(b.getSymbolicName())).findFirst().orElseThrow();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> RestIT.call(() -> post(
                        "v1/models/demo-clean:explain", image, "{\"method\": \"lime\", \"options\": "
                                + "{\"samples\": 100000}, \"requestId\": \"stopping\"}")));
        // LIME with 100,000 samples would run for minutes: the stop comes while it runs and ends it at its next pass
        await(() -> RestClient.requestState("stopping").map(r -> r.get("state").getAsString().equals("running"))
                .orElse(false), "the request to run");
        try {
            rest.stop();
            HttpResponse<String> answer = running.get();
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent());
            assertTrue(json(answer).get("error").getAsString().contains("stopping"), answer.body());
        } finally {
            rest.start();
        }
        await(() -> RestClient.status("v1/models") == 200, "the API to serve again once started");
        assertEquals(200, post("v1/models/demo-clean:predict", image, null).statusCode());
    }
}
