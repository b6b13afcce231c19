package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cam:bench in the runtime: the bench bundle times the Explainer against each backend's engine baseline service,
 * compares the demo network on both backends, and times the runtime's REST API against explain in-process. Few
 * iterations: these check the wiring and the reports, not speed.
 */
@ExtendWith(FelixRuntime.class)
class BenchIT {

    private static String run(CamkitRuntime runtime, String commandLine) {
        CommandResult result = runtime.execute(commandLine);
        assertNull(result.exception(), () -> commandLine + " failed: " + result.exception() + "\n" + result.text());
        return result.text();
    }

    private static void assertContains(String text, List<String> expected) {
        for (String part : expected) {
            assertTrue(text.contains(part), part + " missing from\n" + text);
        }
    }

    @Test
    void camBenchTimesGradCamAgainstThePyTorchEngineBaseline(CamkitRuntime runtime) {
        String report = run(runtime, "cam:bench --model " + Scenes.BIASED + " --iterations 2 --warmup 1");
        assertContains(report, List.of("cam:bench demo-biased (backend pytorch", "same network: raw and explain "
                + "predict class", "raw pytorch fwd+bwd", "  raw forward", "explain (PNG file)", "PNG encode",
                "camkit overhead (explain(pixels) - raw) / raw"));
    }

    @Test
    void camBenchTimesTheTensorFlowTwinAgainstItsEngineBaselineAtAnotherSize(CamkitRuntime runtime) {
        String report = run(runtime, "cam:bench --model " + TensorFlowIT.TF_BIASED + " --size 64 --iterations 2 "
                + "--warmup 1");
        assertContains(report, List.of("cam:bench demo-biased-tensorflow (backend tensorflow", "at 64x64",
                "explained through the descriptor copy", "same network", "raw tensorflow fwd+bwd"));
    }

    @Test
    void camBenchMethodsSaysWhichMethodsTheModelCannotRun(CamkitRuntime runtime) {
        String report = run(runtime, "cam:bench --model " + TensorFlowIT.TF_BIASED + " --methods gradcam,cam "
                + "--iterations 1 --warmup 0");
        assertContains(report, List.of("cam:bench --methods demo-biased-tensorflow (backend tensorflow",
                "raw tensorflow fwd+bwd to relu4 (256 channels)"));
        assertTrue(report.lines().anyMatch(l -> l.startsWith("gradcam ") && !l.contains("could not run")), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("cam ") && l.contains("could not run")
                && l.contains("LINEAR_HEAD")), report);
    }

    @Test
    void camBenchNetworkDemocnnComparesTheSameWeightsOnBothBackends(CamkitRuntime runtime) {
        // at 32x32 (both through descriptor copies), so that ScoreCAM's one batch of 256 masked images is quick
        String report = run(runtime, "cam:bench --network democnn --size 32 --iterations 2 --warmup 1 "
                + "--slow-iterations 1 --batch-sizes 256");
        assertContains(report, List.of("cam:bench --network democnn: demo-biased-tensorflow (tensorflow) vs "
                + "demo-biased (pytorch) at 32x32", "same network: predicted class raw", "explain gradcam pytorch",
                "ratio explain tensorflow / explain pytorch", "scorecam batch-size 256: 1 runs per model",
                "ratio scorecam batches/s tensorflow / pytorch"));
        assertTrue(report.lines().anyMatch(l -> l.matches("tensorflow\\s+[0-9.]+\\s+1\\s+[0-9.]+")), report);
    }

    @Test
    void camBenchSoakReportsResidentMemoryAtTenCheckpoints(CamkitRuntime runtime) {
        String report = run(runtime, "cam:bench --soak 100 --model " + Scenes.BIASED + " --size 32");
        assertContains(report, List.of("cam:bench --soak demo-biased (backend pytorch) at 32x32, gradcam at relu4: 100 "
                + "explanations", "EXPLAINED", "RSS MB", "RSS growth from 10 to 100 explanations"));
        assertEquals(10, report.lines().filter(l -> l.matches("\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")).count(),
                report);
    }

    @Test
    void camBenchHttpTimesTheRestApiAgainstExplainInProcessAtEachClientCount(CamkitRuntime runtime) {
        String report = run(runtime, "cam:bench --http --clients 1,2 -n 5 -w 2 --model " + Scenes.BIASED);
        assertContains(report, List.of("cam:bench --http demo-biased (backend pytorch)", "outputs overlay,json",
                "POST " + FelixRuntime.restBase().resolve("v1/models/demo-biased:explain"),
                "same answer: in-process and HTTP predict class", "verdict: "));
        for (int clients : new int[] {1, 2}) {
            for (String path : List.of("in-process", "HTTP")) {
                Matcher row = Pattern.compile("(?m)^\\s+" + clients + "\\s+" + path
                        + "\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+" + 5 * clients + "$").matcher(report);
                assertTrue(row.find(), clients + " clients " + path + " missing from\n" + report);
                for (int g = 1; g <= 3; g++) {
                    assertTrue(Double.parseDouble(row.group(g)) > 0, "requests/s, p50 and p99 are positive: "
                            + row.group());
                }
            }
            String ratio = "HTTP / in-process at " + clients + " client" + (clients == 1 ? "" : "s")
                    + ": p50 [0-9.]+, p99 [0-9.]+, req/s [0-9.]+; .*: (PASS|MISS)";
            assertTrue(report.lines().anyMatch(l -> l.matches(ratio)), ratio + " missing from\n" + report);
        }
    }
}
