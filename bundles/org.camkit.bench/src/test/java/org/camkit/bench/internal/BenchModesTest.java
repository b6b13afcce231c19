package org.camkit.bench.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.spi.MapProcessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three modes of cam:bench on fakes: what each runs, in which order, and what each reports. */
class BenchModesTest {

    @TempDir
    Path work;

    private static Settings settings(int size, int iterations, int warmup, List<String> methods,
            List<Integer> batchSizes) {
        return new Settings(size, iterations, warmup, "", methods, batchSizes, 2);
    }

    @Test
    void theOverheadReportSetsExplainAgainstTheRawPassAndTimesDecodeRenderAndPngApart() {
        Fakes fakes = new Fakes(work);
        String report = new OverheadRun(fakes.bench()).run("demo", settings(0, 4, 1, List.of(), List.of()));

        assertTrue(report.startsWith("cam:bench demo (backend pytorch, architecture fake, 2 outputs) at 112x112, "
                + "batch 1, gradcam at relu4, 4 iterations after 1 warm-up"), report);
        assertTrue(report.contains("same network: raw and explain predict class 1 / 1"), report);
        for (String row : List.of("raw pytorch fwd+bwd", "  raw forward", "  raw backward", "explain (pixels)",
                "  forward", "  other (lookup, checks, records)", "explain (PNG file)", "  decode stage",
                "render overlay", "PNG encode", "ratio explain(pixels) / raw: ", "camkit overhead (explain(pixels) - "
                        + "raw) / raw: ", "  median of per-iteration (explain - raw): ")) {
            assertTrue(report.lines().anyMatch(l -> l.startsWith(row)), row + " missing from\n" + report);
        }
        List<ExplainRequest> requests = fakes.requests;
        assertEquals(10, requests.size(), "5 iterations (1 warm-up), from pixels and from the PNG file");
        assertTrue(requests.get(0).images().get(0) instanceof ImageInput.Pixels);
        assertTrue(requests.get(1).images().get(0) instanceof ImageInput.File);
        assertEquals(List.of("demo"), requests.stream().map(ExplainRequest::model).distinct().toList());
        assertArrayEquals(new int[] {1, 3, 112, 112}, fakes.inputs.get(0).shape(), "the model's own size");
        assertTrue(fakes.saved.isEmpty(), "no descriptor copy at the model's own size");
    }

    @Test
    void aModelAtAnotherSizeIsExplainedThroughADescriptorCopyAndTheBaselineRunsAtThatSize() {
        Fakes fakes = new Fakes(work);
        String report = new OverheadRun(fakes.bench()).run("demo", settings(32, 1, 0, List.of(), List.of()));

        Path copy = work.resolve("demo-32.json");
        assertTrue(report.contains("explained through the descriptor copy " + copy), report);
        assertEquals(32, fakes.saved.get(0).inputWidth());
        assertEquals(List.of(copy.toString()), fakes.requests.stream().map(ExplainRequest::model).distinct().toList());
        assertEquals(32, fakes.loaded.get(0).inputWidth());
        assertArrayEquals(new int[] {1, 3, 32, 32}, fakes.inputs.get(0).shape());
    }

    @Test
    void aNonSquareModelNeedsASize() {
        Fakes fakes = new Fakes(work);
        fakes.model("wide", "pytorch", 64, 32);
        Settings settings = settings(0, 1, 0, List.of(), List.of());
        CamException e = assertThrows(CamException.class, () -> new OverheadRun(fakes.bench()).run("wide", settings));
        assertTrue(e.getMessage().contains("64x32") && e.getMessage().contains("--size"), e.getMessage());
        assertTrue(new OverheadRun(fakes.bench()).run("wide", settings(48, 1, 0, List.of(), List.of()))
                .contains("at 48x48"));
    }

    @Test
    void theMethodsTableExplainsAGivenPictureAndSaysWhichOne() {
        Fakes fakes = new Fakes(work);
        Path picture = work.resolve("scene.png");
        String report = new MethodsRun(fakes.bench()).run("demo", settings(0, 1, 0, List.of("gradcam"), List.of(8)),
                java.util.Optional.of(picture));
        assertTrue(report.lines().findFirst().orElseThrow().endsWith("on " + picture), report);
    }

    @Test
    void theMethodsTableTimesEachMethodAgainstTheRawPassAndSweepsTheBatchSizes() {
        Fakes fakes = new Fakes(work);
        String report = new MethodsRun(fakes.bench()).run("demo",
                settings(0, 2, 1, List.of("gradcam", "scorecam", "fullgrad"), List.of(64, 128)),
                java.util.Optional.empty());

        assertTrue(report.startsWith("cam:bench --methods demo (backend pytorch, architecture fake) at 112x112"),
                report);
        assertTrue(report.lines().findFirst().orElseThrow().endsWith("on the synthetic picture"), report);
        assertTrue(report.contains("raw pytorch fwd+bwd to relu4 (256 channels): median "), report);
        List<String> lines = report.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("METHOD")).findFirst().orElseThrow());
        assertTrue(lines.get(header + 1).startsWith("gradcam "), report);
        assertTrue(lines.get(header + 2).startsWith("scorecam ") && lines.get(header + 2).contains("8 batches"),
                report);
        assertTrue(lines.get(header + 3).startsWith("  batch-size 64 ") && lines.get(header + 3).contains("4 batches "
                + "of 256 channels"), report);
        assertTrue(lines.get(header + 4).startsWith("  batch-size 128 ") && lines.get(header + 4).contains("2 "
                + "batches of 256 channels"), report);
        assertTrue(lines.get(header + 5).startsWith("scorecam fast=true ") && lines.get(header + 5).contains("1 progress "
                + "steps"), report);
        assertTrue(lines.get(header + 6).startsWith("fullgrad ") && lines.get(header + 6).endsWith("could not run: "
                + "method 'fullgrad' needs BIAS_GRADIENTS"), report);
        // the fast run against the exact one: the fake's maps are a ramp and the ramp with every fourth value + 3
        float[] ramp = new float[16], raised = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i;
            raised[i] = i + (i % 4 == 0 ? 3 : 0);
        }
        String versus = lines.stream().filter(l -> l.startsWith("scorecam fast=true vs scorecam: ")).findFirst()
                .orElseThrow(() -> new AssertionError(report));
        assertTrue(versus.matches(".* ms per explanation, speed-up [0-9.]+x, Pearson r of the maps "
                + String.format(java.util.Locale.ROOT, "%.3f", MapProcessing.pearson(raised, ramp))
                + " \\(1 vs 8 progress steps\\)"), versus);
        assertEquals(2 + 1, fakes.requests.stream().filter(r -> "true".equals(r.options().get("fast"))).count(),
                "the fast run: 1 warm-up and 2 measured");
        assertEquals(List.of("64", "128"), fakes.requests.stream().filter(r -> r.method().equals("scorecam"))
                .map(r -> r.options().get(Bench.BATCH_SIZE)).filter(b -> b != null).distinct().toList());
        assertTrue(lines.get(header + 3).contains("passes 1.0 ms vs the engine's batched forward of the same batches "),
                report);
        assertTrue(lines.get(header + 4).contains("passes 1.0 ms vs the engine's batched forward"), report);
        assertFalse(lines.get(header + 2).contains("passes"), "the method's default batch size is not known: " + report);
        // per swept run (1 warm-up + 2 measured) the engine forwards the same batches as ScoreCAM, from the input
        List<String> expected = new ArrayList<>();
        for (int batch : new int[] {64, 128}) {
            for (int run = 0; run < 3; run++) {
                expected.addAll(Collections.nCopies(256 / batch, "input " + batch));
            }
        }
        assertEquals(expected, fakes.forwards);
    }

    @Test
    void ablationCamsEnginePassesStartAtTheLayerAndIncludeTheLastSmallerBatch() {
        Fakes fakes = new Fakes(work);
        new MethodsRun(fakes.bench()).run("demo", settings(0, 1, 0, List.of("ablationcam"), List.of(100)),
                java.util.Optional.empty());

        assertEquals(List.of("layer 100", "layer 100", "layer 56"), fakes.forwards);
    }

    @Test
    void twinRunsRotateTheOrderAndCompareScoreCamBatchesOnBothBackends() {
        Fakes fakes = new Fakes(work);
        String report = new TwinRun(fakes.bench()).run(null, "demo-tf", "demo",
                settings(32, 4, 1, List.of("scorecam"), List.of(16)));

        assertTrue(report.startsWith("cam:bench --twin demo: demo-tf (tensorflow) vs demo (pytorch) at 32x32, batch "
                + "1, layer relu4 (256 channels)"), report);
        assertTrue(report.contains("same network: predicted class raw 1, tensorflow 1, pytorch 1"), report);
        for (String row : List.of("raw tensorflow fwd+bwd", "  raw forward", "explain gradcam tensorflow",
                "explain gradcam pytorch", "  backward", "ratio explain tensorflow / raw tensorflow: ",
                "ratio explain tensorflow / explain pytorch: ", "scorecam batch-size 16: 2 runs per model after 1 "
                        + "warm-up, interleaved", "ratio scorecam batches/s tensorflow / pytorch: ")) {
            assertTrue(report.lines().anyMatch(l -> l.startsWith(row)), row + " missing from\n" + report);
        }
        assertTrue(report.lines().anyMatch(l -> l.matches("tensorflow\\s+[0-9.]+\\s+16\\s+[0-9.]+")), report);
        assertTrue(report.lines().anyMatch(l -> l.matches("pytorch\\s+[0-9.]+\\s+16\\s+[0-9.]+")), report);
        String tfCopy = work.resolve("demo-tf-32.json").toString();
        String ptCopy = work.resolve("demo-32.json").toString();
        List<String> gradcam = fakes.requests.stream().filter(r -> r.method().equals("gradcam"))
                .map(ExplainRequest::model).toList();
        assertEquals(10, gradcam.size(), "5 rounds (1 warm-up) of both models");
        assertEquals(List.of(ptCopy, tfCopy, tfCopy, ptCopy), gradcam.subList(0, 4), "the order rotates");
        List<String> scorecam = fakes.requests.stream().filter(r -> r.method().equals("scorecam"))
                .map(ExplainRequest::model).toList();
        assertEquals(List.of(ptCopy, tfCopy, tfCopy, ptCopy, ptCopy, tfCopy), scorecam,
                "1 warm-up + 2 rounds, alternating");
        assertEquals("tensorflow", fakes.loaded.get(0).backend(), "the first model's engine baseline runs");
    }

    @Test
    void aTwinOnTheSameBackendIsRefused() {
        Fakes fakes = new Fakes(work);
        fakes.model("demo-2", "pytorch", 112, 112);
        CamException e = assertThrows(CamException.class, () -> new TwinRun(fakes.bench()).run(null, "demo",
                "demo-2", settings(0, 1, 0, List.of(), List.of(16))));
        assertTrue(e.getMessage().contains("both on backend 'pytorch'"), e.getMessage());
    }

    @Test
    void aNetworkPresetNamesItsPairAndAMissingModelSaysWhereItWasLookedFor() {
        assertEquals("demo-biased", TwinRun.Network.parse("democnn").twin);
        assertEquals(TwinRun.Network.RESNET, TwinRun.Network.parse(" ResNet "));
        CamException unknown = assertThrows(CamException.class, () -> TwinRun.Network.parse("vgg"));
        assertTrue(unknown.getMessage().contains("democnn or resnet"), unknown.getMessage());
        Fakes fakes = new Fakes(work);
        TwinRun.Network resnet = TwinRun.Network.RESNET;
        CamException missing = assertThrows(CamException.class, () -> new TwinRun(fakes.bench()).run(resnet,
                resnet.model, resnet.twin, settings(0, 1, 0, List.of(), List.of(16))));
        assertTrue(missing.getMessage().contains("fixtures/tensorflow/resnet224.json")
                && missing.getMessage().contains("working directory"), missing.getMessage());
    }

    @Test
    void impossibleCountsAreRefusedNamingTheOptions() {
        CamException e = assertThrows(CamException.class, () -> settings(4, 1, 0, List.of(), List.of()));
        assertTrue(e.getMessage().contains("--size >= 8"), e.getMessage());
        assertThrows(CamException.class, () -> settings(0, 0, 0, List.of(), List.of()));
        assertThrows(CamException.class, () -> new Settings(0, 1, -1, "", List.of(), List.of(), 1));
    }
}
