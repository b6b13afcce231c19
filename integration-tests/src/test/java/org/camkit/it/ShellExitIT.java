package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./camkit shell} is left with {@code exit}, as its banner says, in a process of its own. */
class ShellExitIT {

    @Test
    void exitLeavesTheInteractiveShellWithTheGivenStatus() throws Exception {
        assertEquals(0, shell("exit\n"), "plain exit");
        assertEquals(3, shell("exit 3\n"), "exit with a status");
    }

    private static int shell(String input) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("camkit.home", "../launcher/target/camkit")).toAbsolutePath();
        Path output = Files.createTempFile("camkit-shell-", ".txt");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcamkit.home=" + home,
                "-Dcamkit.features=" + System.getProperty("camkit.features", "../features"),
                "-cp", home.resolve("lib") + "/*", "org.camkit.launcher.Main", "--feature", "felix", "shell"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the shell did not exit within 60 s");
        String text = Files.readString(output);
        Files.delete(output);
        assertFalse(text.contains("Cannot coerce"), text);
        return process.exitValue();
    }
}
