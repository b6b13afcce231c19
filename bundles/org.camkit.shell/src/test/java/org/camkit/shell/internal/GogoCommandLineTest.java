package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.camkit.api.CamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Runs the commands through a real Gogo command processor, as the shell parses a command line.
class GogoCommandLineTest {
    @TempDir
    Path dir;

    private final FakeExplainer explainer = new FakeExplainer();
    private ThreadIOImpl threadIo;
    private CommandProcessorImpl processor;
    private CommandSession session;

    @BeforeEach
    void startGogo() {
        threadIo = new ThreadIOImpl();
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        CamCommands commands = new CamCommands(explainer, () -> System.err, false, GogoCommandLineTest::list);
        for (String function : List.of("methods", "backends", "targets", "visualizers", "models", "layers",
                "explain", "compare")) {
            processor.addCommand("cam", commands, function);
        }
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    @AfterEach
    void stopGogo() {
        session.close();
        processor.stop();
        threadIo.stop();
    }

    @Test
    void batchOptionsAndTheForceFlagReachTheBatchRun() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("a.png"), new byte[] {1});
        Files.write(images.resolve("b.png"), new byte[] {1});
        Path out = dir.resolve("out");
        String command = "cam:explain --images " + images + " --batch-size 1 --model pokemon --outputs map --out-dir "
                + out;
        session.execute(command);
        explainer.batches.clear();

        Object result = session.execute(command + " --force");

        assertEquals(List.of(1, 1), explainer.batches, "--force redoes both, one per batch");
        assertTrue(Files.exists(out.resolve("a.npy")) && !Files.exists(out.resolve("a.png")));
        assertTrue(String.valueOf(result).contains("2 explained, 0 skipped"), String.valueOf(result));
    }

    @Test
    void aQuotedGlobReachesTheBatchRunAsAGlob() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("a.png"), new byte[] {1});
        Files.write(images.resolve("b.jpg"), new byte[] {1});

        Object result = session.execute("cam:explain --model pokemon --images '" + images + "/*.png' --out-dir "
                + dir.resolve("out"));

        assertEquals(List.of(1), explainer.batches, "only a.png matches");
        assertTrue(String.valueOf(result).contains("1 explained"), String.valueOf(result));
    }

    private static List<Path> list(List<Path> paths) {
        if (Files.isRegularFile(paths.get(0))) {
            return paths;
        }
        try (Stream<Path> files = Files.list(paths.get(0))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new CamException("cannot list " + paths + ": " + e, e);
        }
    }

    @Test
    void optionsInAnyOrderWithCommaListsReachTheExplainer() throws Exception {
        Path out = dir.resolve("o.png");

        Object result = session.execute("cam:explain --image-weight 0.3 -i a.png,b.png --layer features.6,features.7"
                + " --model pokemon --target class:charmander --colormap turbo --out " + out);

        assertEquals("pokemon", explainer.request.model());
        assertEquals(2, explainer.request.images().size());
        assertEquals(List.of("features.6", "features.7"), explainer.request.layers());
        assertEquals("class:charmander", explainer.request.target());
        assertEquals("gradcam", explainer.request.method());
        assertEquals(Map.of("image-weight", "0.3", "colormap", "turbo"), explainer.renderOptions);
        assertTrue(Files.exists(dir.resolve("o-1.png")));
        assertTrue(result.toString().contains("2 image(s) in"), result.toString());
    }

    @Test
    void layersTakesTheModelAsArgument() throws Exception {
        assertTrue(session.execute("cam:layers pokemon").toString().contains("* features.7"));
    }

    @Test
    void missingRequiredOptionFailsWithItsName() {
        CamException e = assertThrows(CamException.class, () -> session.execute("cam:explain --model pokemon"));

        assertTrue(e.getMessage().contains("--image"), e.getMessage());
    }

    @Test
    void repeatedLayersAndOptionsAndSmoothingFlagsAreParsedFromTheCommandLine() throws Exception {
        session.execute("cam:explain --model pokemon --layer features.6 --option batch-size=8 --aug-smooth"
                + " -i a.png --layer features.7 --option patch=4 --eigen-smooth --method scorecam");

        assertEquals(List.of("features.6", "features.7"), explainer.request.layers());
        assertEquals(Map.of("batch-size", "8", "patch", "4"), explainer.request.options());
        assertTrue(explainer.request.augSmooth());
        assertTrue(explainer.request.eigenSmooth());
        assertEquals("scorecam", explainer.request.method());
        assertEquals("not called", explainer.visualizer, "nothing rendered without --out");
    }

    @Test
    void theShortLayerOptionRepeatsAndAStrayValueIsRefusedNamingIt() throws Exception {
        session.execute("cam:explain -m pokemon -i a.png -l features.6 -l features.7");

        assertEquals(List.of("features.6", "features.7"), explainer.request.layers());
        CamException e = assertThrows(CamException.class,
                () -> session.execute("cam:explain -m pokemon -i a.png b.png"));
        assertTrue(e.getMessage().startsWith("cam:explain: unexpected argument 'b.png'"), e.getMessage());
    }

    @Test
    void badColumnsAreRefusedWithTheCommandsOwnMessage() {
        CamException e = assertThrows(CamException.class, () -> session.execute("cam:compare -m pokemon -i a.png"
                + " --out " + dir.resolve("g.png") + " --columns two"));

        assertTrue(e.getMessage().startsWith("--columns is 'two'"), e.getMessage());
    }

    @Test
    void withoutFlagsNoSmoothingIsAsked() throws Exception {
        session.execute("cam:explain --model pokemon -i a.png");

        assertEquals(false, explainer.request.augSmooth());
        assertEquals(false, explainer.request.eigenSmooth());
    }

    @Test
    void compareRunsFromTheCommandLineAndPrintsItsTable() throws Exception {
        Path grid = dir.resolve("grid.png");

        Object result = session.execute("cam:compare --model pokemon --image a.png --methods gradcam,fullgrad"
                + " --out " + grid + " --layer features.6 --layer features.7 --option batch-size=4 --columns 3");

        assertEquals(List.of("gradcam", "fullgrad"), explainer.methods);
        assertEquals(3, explainer.columns);
        assertEquals(List.of("features.6", "features.7"), explainer.request.layers());
        assertTrue(Files.exists(grid));
        assertTrue(result.toString().startsWith("METHOD    TARGET"), result.toString());
    }
}
