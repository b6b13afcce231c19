package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Dataset;
import org.camkit.api.Evaluation;
import org.camkit.api.EvaluationRequest;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.MetricSpec;
import org.camkit.api.RgbImage;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation in the running runtime: cam:evaluate on a small COCO dataset of the TorchScript ResNet fixture's world
 * (a coloured square on a noisy grey background), its report files, and its bad input.
 */
@ExtendWith(FelixRuntime.class)
class EvaluationIT {

    private static final Path RESNET = TorchScriptIT.FIXTURES.resolve("resnet.pt");

    @TempDir
    Path dir;

    /** A 96x80 picture (resized to the model's 64x64) of a red square at (x, y), side s, on grey noise. */
    private static RgbImage square(long seed, int x, int y, int s) {
        int w = 96;
        int h = 80;
        java.util.Random random = new java.util.Random(seed);
        byte[] rgb = new byte[w * h * 3];
        for (int p = 0; p < w * h; p++) {
            for (int c = 0; c < 3; c++) {
                rgb[3 * p + c] = (byte) Math.max(0, Math.min(255, 115 + (int) (random.nextGaussian() * 20)));
            }
            int px = p % w;
            int py = p / w;
            if (px >= x && px < x + s && py >= y && py < y + s) {
                rgb[3 * p] = (byte) 230;
                rgb[3 * p + 1] = (byte) 25;
                rgb[3 * p + 2] = (byte) 25;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Three pictures and a COCO file boxing each square as "red square". */
    private Path dataset() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        int[][] squares = {{10, 12, 30}, {50, 30, 36}, {30, 8, 28}};
        StringBuilder coco = new StringBuilder("{\"images\": [");
        StringBuilder annotations = new StringBuilder();
        for (int i = 0; i < squares.length; i++) {
            int[] s = squares[i];
            Files.write(images.resolve("img" + i + ".png"), square(i, s[0], s[1], s[2]).png());
            coco.append(i == 0 ? "" : ",").append("{\"id\": ").append(i + 1).append(", \"file_name\": \"img")
                    .append(i).append(".png\", \"width\": 96, \"height\": 80}");
            annotations.append(i == 0 ? "" : ",").append("{\"id\": ").append(i + 1).append(", \"image_id\": ")
                    .append(i + 1).append(", \"category_id\": 1, \"bbox\": [").append(s[0]).append(", ")
                    .append(s[1]).append(", ").append(s[2]).append(", ").append(s[2]).append("]}");
        }
        coco.append("], \"categories\": [{\"id\": 1, \"name\": \"red square\"}], \"annotations\": [")
                .append(annotations).append("]}");
        Files.writeString(dir.resolve("coco.json"), coco, StandardCharsets.UTF_8);
        return images;
    }

    @Test
    void camEvaluatePrintsTheTableAndWritesTheCsvTheSummaryAndTheCharts(CamkitRuntime runtime) throws Exception {
        Path images = dataset();
        Path report = dir.resolve("report");
        CommandResult result = runtime.execute("cam:evaluate --model " + RESNET + " --images " + images
                + " --annotations " + dir.resolve("coco.json") + " --methods gradcam,randomcam"
                + " --metrics confidence,deletion,pointing-game,energy --metric-option deletion.steps=8"
                + " --target softmax:0 --out " + report);
        assertNull(result.exception(), () -> "cam:evaluate failed: " + result.text());
        String text = result.text();
        assertTrue(text.contains("METHOD") && text.contains("95% INTERVAL"), text);
        for (String row : List.of("gradcam    confidence/drop", "randomcam  deletion", "gradcam    pointing-game",
                "randomcam  energy")) {
            assertTrue(text.contains(row), "no row '" + row + "' in\n" + text);
        }
        List<String> csv = Files.readAllLines(report.resolve("metrics.csv"));
        assertEquals("image,method,metric,value,error", csv.get(0));
        // 3 images x 2 methods x (5 confidence values + deletion + pointing game + energy)
        assertEquals(1 + 3 * 2 * 8, csv.size(), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith(images.resolve("img1.png") + ",randomcam,energy,")),
                csv.toString());
        String summary = Files.readString(report.resolve("summary.json"));
        assertTrue(summary.contains("\"metric\": \"deletion\"") && summary.contains("\"name\": \"deletion\""),
                summary);
        for (String png : List.of("summary.png", "curves-deletion.png")) {
            byte[] bytes = Files.readAllBytes(report.resolve(png));
            assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
    }

    @Test
    void theEvaluatorScoresEveryImageAndMethodAndSummarisesWithAnInterval() {
        Evaluator evaluator = FelixRuntime.service(Evaluator.class);
        Dataset data;
        try {
            data = evaluator.dataset(List.of(dataset()), dir.resolve("coco.json"), null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        ExplainRequest explain = new ExplainRequest(RESNET.toString(), data.images(), null, List.of(), "softmax:0");
        Evaluation result = evaluator.evaluate(new EvaluationRequest(explain, List.of("gradcam", "randomcam"),
                List.of(new MetricSpec("energy", Map.of()), new MetricSpec("iou", Map.of("threshold", "0.3"))),
                data.truth(), false, null));
        assertEquals(3 * 2 * 2, result.scores().size());
        assertEquals(List.of("gradcam", "gradcam", "randomcam", "randomcam"),
                result.summary().stream().map(Evaluation.Summary::method).toList());
        for (Evaluation.Summary s : result.summary()) {
            assertEquals(3, s.n());
            assertTrue(s.low() <= s.mean() && s.mean() <= s.high(), s.toString());
            double[] values = result.scores().stream()
                    .filter(x -> x.method().equals(s.method()) && x.metric().equals(s.metric()))
                    .mapToDouble(Evaluation.Score::value).toArray();
            assertEquals(java.util.Arrays.stream(values).average().orElseThrow(), s.mean(), 1e-12);
        }
        assertTrue(result.files().isEmpty());
    }

    @Test
    void badEvaluationInputGetsAnErrorNamingTheCulprit(CamkitRuntime runtime) throws Exception {
        Path images = dataset();
        Path coco = dir.resolve("coco.json");
        Files.writeString(coco, Files.readString(coco).replace("\"bbox\": [10, 12, 30, 30]", "\"bbox\": [10, 12]"));
        CommandResult malformed = runtime.execute("cam:evaluate --model " + RESNET + " --images " + images
                + " --annotations " + coco + " --metrics energy");
        assertNotNull(malformed.exception());
        assertTrue(malformed.exception().getMessage().contains("coco.json")
                && malformed.exception().getMessage().contains("annotations[0].bbox"),
                malformed.exception().getMessage());

        CommandResult noTruth = runtime.execute("cam:evaluate --model " + RESNET + " --images " + images
                + " --metrics pointing-game");
        assertTrue(noTruth.exception().getMessage().contains("pointing-game")
                && noTruth.exception().getMessage().contains("--annotations"), noTruth.exception().getMessage());

        CommandResult unknown = runtime.execute("cam:evaluate --model " + RESNET + " --images " + images
                + " --metrics delition");
        assertTrue(unknown.exception().getMessage().contains("unknown metric 'delition'")
                && unknown.exception().getMessage().contains("deletion"), unknown.exception().getMessage());

        CommandResult badOption = runtime.execute("cam:evaluate --model " + RESNET + " --images " + images
                + " --metrics deletion --metric-option deletion.stepz=3");
        assertTrue(badOption.exception().getMessage().contains("stepz")
                && badOption.exception().getMessage().contains("steps"), badOption.exception().getMessage());
    }

    @Test
    void skipBadRecordsAnUnreadableImageAndGoesOnWithoutLosingTheRest(CamkitRuntime runtime) throws Exception {
        Path images = dataset();
        Files.write(images.resolve("img1.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path report = dir.resolve("skipped");
        String command = "cam:evaluate --model " + RESNET + " --images " + images + " --metrics confidence"
                + " --out " + report;
        CommandResult stopped = runtime.execute(command);
        assertNotNull(stopped.exception());
        assertTrue(stopped.exception().getMessage().contains("img1.png")
                && stopped.exception().getMessage().contains("--skip-bad"), stopped.exception().getMessage());
        assertEquals(1 + 5, Files.readAllLines(report.resolve("metrics.csv")).size(),
                "the first image's scores stay written");

        CommandResult skipped = runtime.execute(command + " --skip-bad");
        assertNull(skipped.exception(), () -> skipped.text());
        assertTrue(skipped.text().contains("1 skipped"), skipped.text());
        List<String> csv = Files.readAllLines(report.resolve("metrics.csv"));
        assertEquals(1 + 2 * 5 + 1, csv.size(), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith(images.resolve("img1.png") + ",,,,")
                && l.contains("no format camkit reads")), String.join("\n", csv));
    }

    @Test
    void camMetricsListsEachMetricWithWhatItNeedsAndItsOptions(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:metrics");
        assertNull(result.exception(), () -> result.text());
        String text = result.text();
        for (String metric : List.of("confidence", "deletion", "insertion", "road", "arcc", "pointing-game",
                "energy", "iou")) {
            assertTrue(text.contains(metric + "  (org.camkit.metric."), metric + " missing from\n" + text);
        }
        assertTrue(text.contains("needs ground truth") && text.contains("option steps:")
                && text.contains("option tolerance:"), text);
    }

    @Test
    void anEvaluationWithoutMethodsOrWithAnOptionNoMethodReadsIsRefused() {
        ExplainRequest plain = new ExplainRequest(RESNET.toString(),
                List.of(new org.camkit.api.ImageInput.Pixels(square(0, 1, 1, 20))), null, List.of(), "");
        assertThrows(IllegalArgumentException.class,
                () -> new EvaluationRequest(plain, List.of(), List.of(MetricSpec.of("energy")), List.of(), false,
                        null));
        ExplainRequest withOption = new ExplainRequest(plain.model(), plain.images(), null, List.of(), "",
                Map.of("batch-size", "8"), false, false, null);
        Evaluator evaluator = FelixRuntime.service(Evaluator.class);
        CamException e = assertThrows(CamException.class, () -> evaluator.evaluate(new EvaluationRequest(withOption,
                List.of("gradcam", "randomcam"), List.of(MetricSpec.of("deletion")), List.of(), false, null)));
        assertTrue(e.getMessage().contains("[batch-size]") && e.getMessage().contains("[gradcam, randomcam]"),
                e.getMessage());
    }

    @Test
    void theSanityCheckDecorrelatesGradCamAsLayersAreReinitialisedAndRepeatsWithItsSeed(CamkitRuntime runtime)
            throws Exception {
        org.camkit.api.Explainer explainer = FelixRuntime.explainer();
        List<org.camkit.api.ImageInput> images = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            images.add(new org.camkit.api.ImageInput.File(Scenes.png(Scenes.scene(explainer, Scenes.BIASED, 40 + i,
                    i % 2, true), dir.resolve("scene" + i + ".png"))));
        }
        Evaluator evaluator = FelixRuntime.service(Evaluator.class);
        ExplainRequest request = new ExplainRequest(Scenes.BIASED, images, null, List.of(), "");
        org.camkit.api.SanityCheck check = evaluator.sanity(request, List.of("gradcam"), 7);
        int steps = check.steps().size();
        assertTrue(steps >= 2, check.toString());
        assertEquals(1, check.steps().get(0).size());
        assertEquals(steps, check.steps().get(steps - 1).size(), "the last step re-initialises every weighted layer");
        List<Double> gradcam = check.correlation().get(0);
        assertTrue(gradcam.stream().allMatch(v -> v >= -1 && v <= 1), gradcam.toString());
        assertTrue(gradcam.get(steps - 1) < 0.5, "Grad-CAM's maps must decorrelate from the trained model's: "
                + gradcam);
        assertEquals(check, evaluator.sanity(request, List.of("gradcam"), 7), "the same seed, the same check");
        org.camkit.api.SanityCheck tensorflow = evaluator.sanity(new ExplainRequest(Scenes.BIASED + "-tensorflow",
                images, null, List.of(), ""), List.of("gradcam"), 7);
        assertEquals(check.steps(), tensorflow.steps(), "both backends re-initialise the same layers");
        assertTrue(tensorflow.correlation().get(0).get(steps - 1) < 0.5, tensorflow.toString());

        CommandResult table = runtime.execute("cam:sanity --model " + Scenes.BIASED + " --images "
                + dir.resolve("scene0.png") + "," + dir.resolve("scene1.png") + " --methods gradcam,randomcam");
        assertNull(table.exception(), () -> table.text());
        assertTrue(table.text().contains("RE-INITIALISED") && table.text().contains("RANDOMCAM")
                && table.text().contains(check.steps().get(0).get(0)), table.text());

        CommandResult cannot = runtime.execute("cam:sanity --model " + RESNET + " --images " + dir.resolve(
                "scene0.png"));
        assertTrue(cannot.exception().getMessage().contains("cannot re-initialise its layers")
                && cannot.exception().getMessage().contains("demo-biased"), cannot.exception().getMessage());
    }

    @Test
    void interruptingAnEvaluationCancelsItAndKeepsTheScoresWrittenSoFar() throws Exception {
        Path images = dataset();
        Path report = dir.resolve("cancelled");
        Evaluator evaluator = FelixRuntime.service(Evaluator.class);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic
                .AtomicReference<>();
        Thread[] worker = new Thread[1];
        // the caller interrupts the evaluation's thread once the first image is scored, as Ctrl-C does in the shell
        org.camkit.api.Progress interruptAfterFirst = (task, done, total) -> {
            if (task.equals(Evaluator.PROGRESS) && done == 1) {
                worker[0].interrupt();
            }
        };
        worker[0] = new Thread(() -> {
            try {
                evaluator.evaluate(new EvaluationRequest(new ExplainRequest(RESNET.toString(),
                        evaluator.dataset(List.of(images), null, null).images(), null, List.of(), "",
                        Map.of(), false, false, interruptAfterFirst), List.of("gradcam"),
                        List.of(MetricSpec.of("deletion")), List.of(), true, report));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker[0].start();
        worker[0].join(60_000);
        assertTrue(failure.get() instanceof CamException && failure.get().getMessage().contains("cancelled"),
                String.valueOf(failure.get()));
        List<String> csv = Files.readAllLines(report.resolve("metrics.csv"));
        assertEquals(2, csv.size(), "the header and the first image's score stay: " + csv);
        assertTrue(csv.get(1).startsWith(images.resolve("img0.png") + ",gradcam,deletion,"), csv.toString());
    }
}
