package org.camkit.it;

import static org.camkit.it.FelixRuntime.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.camkit.demo.internal.DemoRun;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The TensorFlow backend beside the PyTorch one in one Felix: the demo CNN with the same weights on both (its
 * TensorFlow twin converted by tools/camkit-convert), every method
 * both support, threads, and the bundle's life cycle. The refresh test runs last, and this class after every other
 * (junit-platform.properties orders classes by @Order): after it, TensorFlow's natives belong to a class loader that
 * is gone until the JVM restarts.
 */
@ExtendWith(FelixRuntime.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(Integer.MAX_VALUE)
class TensorFlowIT {

    static final String BUNDLE = "org.camkit.backend.tensorflow";
    static final String TF_BIASED = DemoRun.modelName("tensorflow", true);

    private final Explainer explainer = FelixRuntime.explainer();

    private Scene scene(long seed) {
        return Scenes.scene(explainer, Scenes.BIASED, seed, SceneGenerator.BULBASAUR, true);
    }

    private float[] cam(String model, String method, Scene scene) {
        return explainer.explain(MethodsIT.light(ExplainRequest.builder(model), method)
                .image(ImageInput.of(scene.image())).build()).images().get(0).cam();
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    @Order(1)
    void camBackendsListsBothBackendsAndCamLayersWhatAModelProvides(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:backends");
        assertNull(result.exception(), result::text);
        assertTrue(result.text().contains("pytorch") && result.text().contains("tensorflow"), result.text());
        List<String> tf = explainer.capabilities(TF_BIASED);
        assertTrue(tf.contains("GRADIENTS") && !tf.contains("GUIDED_BACKPROP"), tf.toString());
        assertTrue(explainer.capabilities(Scenes.BIASED).contains("GUIDED_BACKPROP"));
        result = runtime.execute("cam:layers " + TF_BIASED);
        assertNull(result.exception(), result::text);
        // the TensorFlow demo model is a plain SavedModel: bias gradients, but no linear head and no guided ReLUs
        assertTrue(result.text().contains("provides: ") && result.text().contains("BIAS_GRADIENTS")
                && !result.text().contains("LINEAR_HEAD") && !result.text().contains("GUIDED_BACKPROP"),
                result.text());
    }

    @Test
    @Order(2)
    void everyMethodBothBackendsSupportGivesTheSameMapOnTheSameWeights() {
        Scene scene = scene(41);
        List<String> tfCapabilities = explainer.capabilities(TF_BIASED);
        int compared = 0;
        for (PluginInfo method : explainer.plugins(PluginInfo.Kind.METHOD)) {
            boolean supported = method.details().stream().filter(d -> !d.startsWith("option "))
                    .allMatch(tfCapabilities::contains);
            if (!supported) {
                CamException e = assertThrows(CamException.class, () -> cam(TF_BIASED, method.name(), scene));
                assertTrue(e.getMessage().contains("tensorflow") && e.getMessage().contains("methods that work"),
                        e.getMessage());
                continue;
            }
            double difference = maxDifference(cam(Scenes.BIASED, method.name(), scene),
                    cam(TF_BIASED, method.name(), scene));
            assertTrue(difference <= 1e-4, method.name() + ": maps differ by " + difference);
            compared++;
        }
        assertTrue(compared >= 12, "only " + compared + " methods compared");
    }

    @Test
    @Order(3)
    void explainingAlternatelyOnBothBackendsFromSeveralThreadsWorks() throws Exception {
        List<Scene> scenes = List.of(scene(51), scene(52), scene(53));
        List<float[]> expected = new ArrayList<>();
        for (Scene s : scenes) {
            expected.add(cam(Scenes.BIASED, "gradcam", s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int task = 0; task < 24; task++) {
                int i = task % scenes.size();
                String model = task % 2 == 0 ? Scenes.BIASED : TF_BIASED;
                futures.add(pool.submit(() -> maxDifference(expected.get(i), cam(model, "gradcam", scenes.get(i)))));
            }
            for (Future<Double> f : futures) {
                assertTrue(f.get() <= 1e-4, "a concurrent map differs by " + f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void stoppingAndStartingTheTensorFlowBundleWorks(CamkitRuntime runtime) throws Exception {
        Bundle bundle = bundle(runtime);
        Scene scene = scene(61);
        bundle.stop();
        try {
            await(() -> !runtime.execute("cam:backends").text().contains("tensorflow"), "tensorflow to leave");
            CamException gone = assertThrows(CamException.class, () -> cam(TF_BIASED, "gradcam", scene));
            assertTrue(gone.getMessage().contains("tensorflow"), gone.getMessage());
            assertNotNull(cam(Scenes.BIASED, "gradcam", scene), "pytorch keeps serving");
        } finally {
            bundle.start();
        }
        await(() -> runtime.execute("cam:backends").text().contains("tensorflow"), "tensorflow to come back");
        assertTrue(maxDifference(cam(Scenes.BIASED, "gradcam", scene), cam(TF_BIASED, "gradcam", scene)) <= 1e-4);
    }

    @Test
    @Order(5)
    void refreshingTheTensorFlowBundleIsReportedClearlyAndNothingCrashes(CamkitRuntime runtime) throws Exception {
        Bundle bundle = bundle(runtime);
        Scene scene = scene(71);
        cam(TF_BIASED, "gradcam", scene); // natives loaded by this copy of the bundle
        FrameworkWiring wiring = runtime.context().getBundle(0).adapt(FrameworkWiring.class);
        java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == org.osgi.framework.FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue(refreshed.await(60, java.util.concurrent.TimeUnit.SECONDS), "the refresh did not finish");
        await(() -> bundle.getState() == Bundle.ACTIVE && runtime.execute("cam:backends").text()
                .contains("tensorflow"), "the refreshed bundle to be active");
        CamException refused = assertThrows(CamException.class, () -> cam(TF_BIASED, "gradcam", scene));
        assertTrue(refused.getMessage().toLowerCase().contains("restart"), refused.getMessage());
        assertNotNull(cam(Scenes.BIASED, "gradcam", scene), "pytorch keeps serving");
    }

    private static Bundle bundle(CamkitRuntime runtime) {
        return runtime.bundles().stream().filter(b -> BUNDLE.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError(BUNDLE + " is not installed"));
    }
}
