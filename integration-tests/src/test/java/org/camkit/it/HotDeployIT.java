package org.camkit.it;

import static org.camkit.it.FelixRuntime.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FelixRuntime.class)
class HotDeployIT {

    private static final String METHOD = "meanactivation";

    @TempDir
    Path dir;

    @Test
    void aMethodBundleDroppedIntoDeployServesUntilItIsRemoved(CamkitRuntime runtime) throws Exception {
        Path bundle = Path.of(System.getProperty("camkit.example.bundle"));
        assertTrue(Files.isRegularFile(bundle), "build the example plugin first: " + bundle);
        Path deployed = FelixRuntime.deployDir().resolve(bundle.getFileName());
        Scene scene = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 5, SceneGenerator.CHARMANDER, false);
        Path image = Scenes.png(scene, dir.resolve("scene.png"));
        assertFalse(methods(runtime).contains(METHOD), "the example method is not installed before the test");

        Files.copy(bundle, deployed, StandardCopyOption.REPLACE_EXISTING);
        try {
            await(() -> methods(runtime).contains(METHOD), "cam:methods to list " + METHOD + " after deploying it");
            CommandResult explained = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image " + image
                    + " --method " + METHOD);
            assertNull(explained.exception(), () -> "explaining with the deployed method failed: "
                    + explained.exception());
            Explanation explanation = FelixRuntime.explainer().explain(ExplainRequest.builder(Scenes.CLEAN)
                    .image(ImageInput.of(scene.image())).method(METHOD).build());
            assertEquals(METHOD, explanation.method());
        } finally {
            Files.delete(deployed);
        }

        await(() -> !methods(runtime).contains(METHOD), "cam:methods to drop " + METHOD + " after removing it");
        CamException gone = assertThrows(CamException.class, () -> FelixRuntime.explainer().explain(
                ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(scene.image())).method(METHOD).build()));
        // moments after its bundle went, a request is told the method went away (a bundle being updated comes back)
        assertEquals(CamException.Kind.UNAVAILABLE, gone.kind(), gone.getMessage());
        assertTrue(gone.getMessage().startsWith("method '" + METHOD + "' went away"), gone.getMessage());
        assertTrue(gone.choices().contains("gradcam") && !gone.choices().contains(METHOD), gone::getMessage);
        CommandResult shell = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image " + image
                + " --method " + METHOD);
        assertTrue(shell.exception() != null && shell.exception().getMessage().contains("gradcam"), shell::text);
    }

    private static String methods(CamkitRuntime runtime) {
        return runtime.execute("cam:methods").text();
    }
}
