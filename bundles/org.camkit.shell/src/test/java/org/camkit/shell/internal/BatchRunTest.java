package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.camkit.api.CamException;
import org.camkit.spi.NpyFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// cam:explain --images: batches, the index, resuming, --force, bad images and the option errors.
class BatchRunTest {
    @TempDir
    Path dir;

    private final FakeExplainer explainer = new FakeExplainer();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    // lists a folder's files by name, as the core's dataset reader does
    private final CamCommands commands = new CamCommands(explainer,
            () -> new PrintStream(err, true, StandardCharsets.UTF_8), false, BatchRunTest::list);
    private Path images;
    private Path out;

    @BeforeEach
    void threeImages() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("a.png", "b.png", "c.jpg")) {
            Files.write(images.resolve(name), new byte[] {1});
        }
        out = dir.resolve("out");
    }

    @Test
    void aFolderIsExplainedInBatchesWithTheOutputsAndOneIndexLinePerImage() throws IOException {
        String summary = batch("overlay,map", "2", false);

        assertEquals(List.of(2, 1), explainer.batches, "batches of --batch-size images");
        List<JsonObject> lines = lines();
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            JsonObject line = lines.get(i);
            String name = List.of("a", "b", "c").get(i);
            assertEquals(images.resolve(List.of("a.png", "b.png", "c.jpg").get(i)).toAbsolutePath().toString(),
                    line.get("image").getAsString());
            assertEquals(1, line.get("prediction").getAsInt());
            assertEquals("class 1 (charmander)", line.get("target").getAsString());
            assertEquals(2, line.getAsJsonObject("peak").get("x").getAsInt(), "the peak of the 3x2 map");
            assertTrue(line.getAsJsonObject("timingsMs").has("forward"), line.toString());
            assertEquals(List.of(out.resolve(name + ".png").toString(), out.resolve(name + ".npy").toString()),
                    line.getAsJsonArray("files").asList().stream().map(e -> e.getAsString()).toList());
            assertArrayEquals(FakeExplainer.CAM, NpyFiles.read(out.resolve(name + ".npy")).toArray(), 0f);
            assertTrue(Files.size(out.resolve(name + ".png")) > 0);
        }
        assertTrue(summary.contains("3 explained, 0 skipped (done in index.jsonl), 0 failed of 3 images"), summary);
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("3/3") && progress.contains("images/s"), progress);
    }

    @Test
    void theOverlayAloneIsTheDefaultOutput() throws IOException {
        batch("", "", false);

        assertTrue(Files.exists(out.resolve("a.png")));
        assertFalse(Files.exists(out.resolve("a.npy")));
        assertEquals(List.of(3), explainer.batches, "the default batch size, 8, takes all three");
    }

    @Test
    void aReRunSkipsTheImagesTheIndexHoldsAsDoneAndRedoesOneWhoseFileIsGone() throws IOException {
        batch("map", "", false);
        explainer.batches.clear();

        String again = batch("map", "", false);

        assertEquals(List.of(), explainer.batches, "nothing explained again");
        assertEquals(3, lines().size(), "no new lines");
        assertTrue(again.contains("0 explained, 3 skipped"), again);

        Files.delete(out.resolve("b.npy"));
        String third = batch("map", "", false);

        assertEquals(List.of(1), explainer.batches);
        assertTrue(third.contains("1 explained, 2 skipped"), third);
        assertEquals(4, lines().size());
    }

    @Test
    void aReRunAskingForOtherOutputsOrAnotherMethodRedoesTheImages() throws IOException {
        batch("overlay", "", false);
        explainer.batches.clear();

        String maps = batch("map", "", false);
        assertEquals(List.of(3), explainer.batches, "the maps were never written");
        assertTrue(maps.contains("3 explained, 0 skipped"), maps);
        assertTrue(Files.exists(out.resolve("a.npy")));
        assertTrue(batch("map", "", false).contains("0 explained, 3 skipped"), "then done");
        batch("overlay,map", "", false);
        assertTrue(batch("overlay", "", false).contains("0 explained, 3 skipped"),
                "fewer outputs than a line lists: its files are there");

        explainer.batches.clear();
        String other = commands.explain("pokemon", "", "scorecam", "", "", "", "", "", "", "", "", "", false, false,
                false, images.toString(), out.toString(), "map", "", false, "");
        assertEquals(List.of(3), explainer.batches, "done with gradcam, not with scorecam");
        assertTrue(other.contains("3 explained, 0 skipped"), other);
        assertEquals("scorecam", lines().get(lines().size() - 1).getAsJsonObject("asked").get("method")
                .getAsString());
    }

    @Test
    void forceRedoesEveryImageAndStartsANewIndex() throws IOException {
        batch("map", "", false);
        explainer.batches.clear();

        String forced = batch("map", "", true);

        assertEquals(List.of(3), explainer.batches);
        assertEquals(3, lines().size(), "a new index, not three more lines");
        assertTrue(forced.contains("3 explained, 0 skipped"), forced);
    }

    @Test
    void aBadImageGetsAnErrorLineAndTheOthersOfItsBatchSucceed() throws IOException {
        explainer.corrupt = Set.of("b.png");

        String summary = batch("map", "", false);

        assertEquals(List.of(3, 1, 1, 1), explainer.batches, "the failed batch is retried image by image");
        List<JsonObject> lines = lines();
        assertEquals(3, lines.size());
        List<JsonObject> errors = lines.stream().filter(l -> l.has("error")).toList();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).get("image").getAsString().endsWith("b.png"), errors.toString());
        assertTrue(errors.get(0).get("error").getAsString().contains("not a PNG or JPEG"), errors.toString());
        assertTrue(summary.contains("2 explained, 0 skipped (done in index.jsonl), 1 failed of 3"), summary);

        explainer.corrupt = Set.of();
        explainer.batches.clear();
        batch("map", "", false);

        assertEquals(List.of(1), explainer.batches, "a re-run tries again only the image that failed");
        assertFalse(BatchIndex.read(out.resolve(BatchIndex.FILE)).values().stream().anyMatch(l -> l.has("error")),
                "the image's last line counts");
    }

    @Test
    void aBadImageAloneInItsBatchIsNotExplainedTwice() throws IOException {
        explainer.corrupt = Set.of("b.png");

        batch("map", "1", false);

        assertEquals(List.of(1, 1, 1), explainer.batches);
        assertEquals(1, lines().stream().filter(l -> l.has("error")).count());
    }

    @Test
    void aRequestNoImageCouldPassStopsTheRunWithItsErrorInsteadOfAnErrorLinePerImage() throws IOException {
        explainer.failure = new CamException(CamException.Kind.UNKNOWN, "unknown model 'pokemon'", "pokemon",
                List.of("demo-clean"));

        CamException e = assertThrows(CamException.class, () -> batch("map", "", false));

        assertEquals("unknown model 'pokemon'", e.getMessage());
        assertEquals(List.of(3), explainer.batches, "not retried image by image");
        assertEquals(0, lines().size(), "no image is recorded as bad");
    }

    @Test
    void aLineCutShortByACrashIsEndedAndItsImageDoneAgain() throws IOException {
        batch("map", "", false);
        List<String> text = Files.readAllLines(out.resolve(BatchIndex.FILE));
        Files.writeString(out.resolve(BatchIndex.FILE), text.get(0) + "\n" + text.get(1) + "\n"
                + text.get(2).substring(0, 20));
        explainer.batches.clear();

        batch("map", "", false);

        assertEquals(List.of(1), explainer.batches, "only the image of the broken line");
        List<String> after = Files.readAllLines(out.resolve(BatchIndex.FILE));
        assertEquals(4, after.size());
        assertTrue(after.get(3).startsWith("{") && after.get(3).contains("c.jpg"), after.toString());
    }

    @Test
    void ctrlCStopsTheRunBetweenBatchesWithTheIndexIntact() throws IOException {
        explainer.cancel = true;

        String summary = batch("map", "1", false);

        assertTrue(summary.startsWith("cam:explain cancelled"), summary);
        assertTrue(summary.contains("run the same command again"), summary);
        assertEquals(List.of(1), explainer.batches, "no further batch after Ctrl-C");
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed");
        assertEquals(0, lines().size(), "a cancelled image is not recorded as bad");
        explainer.cancel = false;

        batch("map", "1", false);

        assertEquals(3, lines().size());
    }

    @Test
    void optionErrorsNameTheOptionAndTheFix() {
        String all = images.toString();
        String o = out.toString();
        assertTrue(run("a.png", all, o, "", "", "", "").getMessage().contains("not both"));
        assertTrue(run("", all, "", "", "", "", "").getMessage().contains("needs --out-dir"));
        assertTrue(run("", all, o, "", "", "x.png", "").getMessage().contains("--outputs overlay,map"));
        assertTrue(run("", all, o, "picture", "", "", "").getMessage().contains("give overlay, map or"));
        assertTrue(run("", all, o, "", "0", "", "").getMessage().contains("--batch-size is '0'"));
        assertTrue(run("", all, o, "", "x", "", "").getMessage().contains("whole number"));
        assertTrue(run("a.png", "", o, "", "", "", "").getMessage().contains("belong to a batch run"));
        assertTrue(run("", all, all, "", "", "", "").getMessage().contains("apart from the images"));
        assertTrue(run("", all, o, "", "", "", "detection:duck").getMessage().contains("one target per image"));
    }

    @Test
    void aGlobListsTheMatchingFilesSortedAndOneMatchingNothingIsAnError() {
        assertEquals(List.of(images.resolve("a.png"), images.resolve("b.png")),
                Args.glob("images", images.resolve("*.png")));
        CamException e = assertThrows(CamException.class, () -> Args.glob("images", images.resolve("*.tif")));
        assertTrue(e.getMessage().contains("matches no files"), e.getMessage());
    }

    @Test
    void imagesOfTheSameNameGetNumberedOutputs() {
        List<Path> files = List.of(Path.of("x/a.png"), Path.of("y/a.jpg"), Path.of("b.png"));
        assertEquals(List.of("a", "a-2", "b"), files.stream().map(BatchRun.names(files)::get).toList());
    }

    @Test
    void aNumberedNameNeverTakesTheNameOfAnotherImage() {
        List<Path> files = List.of(Path.of("x/a.png"), Path.of("y/A.png"), Path.of("a-2.png"));
        assertEquals(List.of("a", "A-2", "a-2-2"), files.stream().map(BatchRun.names(files)::get).toList());
    }

    @Test
    void theProgressLineShowsThePace() {
        assertEquals("explaining 10 images [####################] 10/10, 2.0 s elapsed, 5.0 images/s",
                ProgressBar.line("explaining 10 images", 10, 10, 2_000_000_000L, "images"));
    }

    private String batch(String outputs, String batchSize, boolean force) {
        return commands.explain("pokemon", "", "", "", "", "", "", "", "", "", "", "", false, false, false,
                images.toString(), out.toString(), outputs, batchSize, force, "");
    }

    private CamException run(String image, String all, String outDir, String outputs, String batchSize,
            String outFile, String target) {
        return assertThrows(CamException.class, () -> commands.explain("pokemon", image, "", "", target, outFile,
                "", "", "", "", "", "", false, false, false, all, outDir, outputs, batchSize, false, ""));
    }

    private List<JsonObject> lines() throws IOException {
        Path index = out.resolve(BatchIndex.FILE);
        if (!Files.exists(index)) {
            return List.of();
        }
        return Files.readAllLines(index).stream().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static List<Path> list(List<Path> paths) {
        try (Stream<Path> files = Files.list(paths.get(0))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new CamException("cannot list " + paths + ": " + e, e);
        }
    }
}
