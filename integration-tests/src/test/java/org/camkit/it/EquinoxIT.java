package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature {@code pytorch}'s bundles, unchanged, in Eclipse Equinox: the launcher's own command line with Equinox
 * on its class path in place of Felix (CamkitRuntime takes the one framework the class path offers), in a JVM of its
 * own, since libtorch loads once per JVM and this one runs the shared Felix runtime.
 */
@ExtendWith(FelixRuntime.class)
class EquinoxIT {
    private static final Path HOME = Path.of(System.getProperty("camkit.home", "../launcher/target/camkit"));
    private static final Path EQUINOX = Path.of(System.getProperty("camkit.equinox.jar"));

    @TempDir
    Path dir;

    @Test
    void equinoxExplainsTheDemoModelWithTheMapFelixGives() throws Exception {
        Scene scene = Scenes.scene(FelixRuntime.explainer(), Scenes.CLEAN, 21, SceneGenerator.BULBASAUR, false);
        Path image = Scenes.png(scene, dir.resolve("scene.png"));
        Path npy = dir.resolve("equinox.npy");
        Path json = dir.resolve("equinox.json");

        String stdout = launcherOnEquinox("cam:explain --model " + Scenes.CLEAN + " --image " + image + " --cam-out "
                + npy + " --json " + json + " ; lb -s");

        assertTrue(stdout.lines().anyMatch(l -> l.matches("\\s*0\\|Active\\s*\\|\\s*0\\|org\\.eclipse\\.osgi .*")),
                "the system bundle is not Equinox's:\n" + stdout);
        assertTrue(stdout.lines().anyMatch(l -> l.matches(".*\\|Active\\s*\\|.*\\|org\\.camkit\\.backend\\.djl .*")),
                "the PyTorch backend is not active in Equinox:\n" + stdout);
        ImageExplanation felix = FelixRuntime.explainer().explain(ExplainRequest.builder(Scenes.CLEAN)
                .image(ImageInput.of(image)).build()).images().get(0);
        JsonObject equinox = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(SceneGenerator.LABELS.get(scene.label()), equinox.get("label").getAsString());
        assertEquals(felix.predictedLabel(), equinox.get("label").getAsString());
        assertEquals(felix.output()[1], equinox.getAsJsonArray("output").get(1).getAsFloat(), 1e-4f);
        float[] map = Npy.read(npy).toArray();
        assertFalse(felix.flat(), "Felix's map is flat");
        assertArrayEquals(felix.cam(), map, 1e-4f, "Equinox's map differs from Felix's for the same image");
    }

    // Runs one command line with the launcher (Main) on Equinox: the launcher's class path (lib/) without Felix.
    private String launcherOnEquinox(String commandLine) throws IOException, InterruptedException {
        List<String> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(HOME.resolve("lib"))) {
            jars.filter(j -> !j.getFileName().toString().startsWith("org.apache.felix.framework"))
                    .forEach(j -> classPath.add(j.toString()));
        }
        assertTrue(Files.isRegularFile(EQUINOX), "no Equinox jar at " + EQUINOX + " (integration-tests/pom.xml copies "
                + "it before the integration tests)");
        classPath.add(EQUINOX.toString());
        Path out = dir.resolve("equinox-stdout.txt");
        Path err = dir.resolve("equinox-stderr.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Dcamkit.home=" + HOME.toAbsolutePath(),
                "-cp", String.join(java.io.File.pathSeparator, classPath), "org.camkit.launcher.Main",
                "--feature", "pytorch", "--models", System.getProperty("camkit.models", "../models"),
                "--deploy", dir.resolve("deploy").toString(), commandLine)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean exited = process.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String stdout = Files.readString(out);
        String report = "\nstdout:\n" + stdout + "\nstderr (last lines):\n" + tail(Files.readString(err));
        assertTrue(exited, "the launcher on Equinox did not finish in 180 s" + report);
        assertEquals(0, process.exitValue(), "the launcher on Equinox failed" + report);
        return stdout;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
