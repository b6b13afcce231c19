package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The methods pytorch-grad-cam added after its original table, torch-cam's variants, LIME and SHAP, from the shell:
 * {@code cam:methods} lists them, {@code cam:explain} explains the TorchScript fixture and the demo model with each,
 * and {@code cam:compare} draws them all in one grid.
 */
@ExtendWith(FelixRuntime.class)
class ShellMethodsIT {

    static final List<String> NEW = List.of("kpcacam", "fem", "randomcam", "shapleycam", "finercam", "segeigencam",
            "refinecam", "sobel", "sscam", "iscam", "smoothgradcam++", "lime", "kernelshap", "partitionshap");

    private static final Path RESNET = TorchScriptIT.FIXTURES.resolve("resnet.pt");
    private static final Path PICTURE = TorchScriptIT.FIXTURES.resolve("reference/methods/image0.png");

    @TempDir
    Path dir;

    static List<String> methods() {
        return NEW;
    }

    @Test
    void camMethodsListsEveryMethodWithItsOptions(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:methods");
        assertNull(result.exception(), () -> "cam:methods failed: " + result.exception());
        for (String method : NEW) {
            assertTrue(result.text().contains(method), method + " missing from cam:methods: " + result.text());
        }
        assertTrue(result.text().contains("max-evals") && result.text().contains("segments"), result.text());
    }

    @ParameterizedTest
    @MethodSource("methods")
    void eachExplainsTheTorchScriptFixtureFromTheShell(String method) throws Exception {
        Path npy = dir.resolve(method.replace("+", "p") + ".npy");
        CommandResult result = runtime().execute("cam:explain --model " + RESNET + " --image " + PICTURE
                + " --method " + method + (method.equals("refinecam") ? " --layer layer2,layer3" : "") + " --cam-out "
                + npy);
        assertNull(result.exception(), () -> method + ": cam:explain failed: " + result.exception());
        Tensor map = Npy.read(npy);
        assertArrayEquals(new int[] {64, 64}, map.shape());
        assertEquals(1f, max(map), 1e-4f, method + ": the map is normalised to a maximum of 1");
    }

    @ParameterizedTest
    @MethodSource("methods")
    void eachExplainsTheDemoModelFromTheShell(String method) throws Exception {
        Path image = Scenes.png(Scenes.scene(FelixRuntime.explainer(), Scenes.BIASED, 41, SceneGenerator.BULBASAUR,
                true), dir.resolve("scene.png"));
        Path npy = dir.resolve(method.replace("+", "p") + ".npy");
        StringBuilder options = new StringBuilder();
        MethodsIT.LIGHT.getOrDefault(method, Map.of()).forEach((k, v) -> options.append(" --option ").append(k)
                .append('=').append(v));
        CommandResult result = runtime().execute("cam:explain --model " + Scenes.BIASED + " --image " + image
                + " --method " + method + options + " --cam-out " + npy);
        assertNull(result.exception(), () -> method + ": cam:explain failed: " + result.exception());
        assertEquals(1f, max(Npy.read(npy)), 1e-4f, method + ": the map is normalised to a maximum of 1");
    }

    @Test
    void camCompareDrawsThemAllInOneGrid(CamkitRuntime runtime) throws Exception {
        Path grid = dir.resolve("grid.png");
        CommandResult result = runtime.execute("cam:compare --model " + RESNET + " --image " + PICTURE
                + " --methods " + String.join(",", NEW) + " --out " + grid + " --columns 5");
        assertNull(result.exception(), () -> "cam:compare failed: " + result.exception());
        assertTrue(result.text().contains(NEW.size() + " of " + NEW.size() + " methods ran"), result.text());
        BufferedImage picture = ImageIO.read(grid.toFile());
        // the original and 14 methods in 5 columns: 3 rows of pictures of at least the model's 64 px
        assertTrue(picture.getWidth() >= 5 * 64 && picture.getHeight() >= 3 * 64,
                picture.getWidth() + "x" + picture.getHeight());
    }

    private static CamkitRuntime runtime() {
        return FelixRuntime.runtime();
    }

    private static float max(Tensor t) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < t.size(); i++) {
            max = Math.max(max, t.get(i));
        }
        return max;
    }
}
