package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.Images;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each bad request fails with a message naming the culprit, and the next good request still works. */
@ExtendWith(FelixRuntime.class)
class BadInputIT {

    private final Explainer explainer = FelixRuntime.explainer();

    @TempDir
    Path dir;

    private Scene scene;
    private Path good;

    @BeforeEach
    void writeAGoodImage() {
        scene = Scenes.scene(explainer, Scenes.CLEAN, 21, SceneGenerator.BULBASAUR, false);
        good = Scenes.png(scene, dir.resolve("good.png"));
    }

    private void assertRejected(ExplainRequest.Builder request, String... culprits) {
        CamException e = assertThrows(CamException.class, () -> explainer.explain(request.build()));
        for (String culprit : culprits) {
            assertTrue(e.getMessage().contains(culprit), "message lacks '" + culprit + "': " + e.getMessage());
        }
        assertEquals("bulbasaur", explainer.explain(ExplainRequest.builder(Scenes.CLEAN)
                .image(ImageInput.of(good)).build()).images().get(0).predictedLabel(),
                "a good request after the bad one");
    }

    private ExplainRequest.Builder clean(Path image) {
        return ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(image));
    }

    @Test
    void missingImageFileIsNamed() {
        assertRejected(clean(dir.resolve("missing.png")), "missing.png", "does not exist");
    }

    @Test
    void corruptPngIsNamed() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        for (int i = 60; i < bytes.length - 16; i += 3) {
            bytes[i] ^= 0x55;
        }
        Path corrupt = Files.write(dir.resolve("corrupt.png"), bytes);
        assertRejected(clean(corrupt), "corrupt.png");
    }

    @Test
    void truncatedJpegIsNamed() throws Exception {
        Path jpeg = dir.resolve("full.jpg");
        ImageIO.write(Images.toBuffered(scene.image()), "jpg", jpeg.toFile());
        byte[] bytes = Files.readAllBytes(jpeg);
        Path truncated = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertRejected(clean(truncated), "truncated.jpg");
    }

    @Test
    void unknownModelListsTheRegisteredOnes() {
        assertRejected(ExplainRequest.builder("no-such-model").image(ImageInput.of(good)),
                "unknown model 'no-such-model'", Scenes.BIASED, Scenes.CLEAN);
    }

    @Test
    void unknownMethodListsTheKnownOnes() {
        assertRejected(clean(good).method("no-such-cam"), "unknown method 'no-such-cam'", "gradcam");
    }

    @Test
    void unknownLayerListsTheModelsLayers() {
        assertRejected(clean(good).layer("conv9"), "no layer 'conv9'", "relu4");
    }

    @Test
    void unknownTargetListsTheKnownOnes() {
        assertRejected(clean(good).target("nonsense:3"), "unknown target 'nonsense'", "class", "predicted");
    }

    @Test
    void classIndexOutOfRangeNamesTheRange() {
        assertRejected(clean(good).target("class:5"), "class index 5 is out of range", "0..1");
    }

    @Test
    void theShellReportsTheCulpritAndKeepsServing(CamkitRuntime runtime) {
        CommandResult bad = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image "
                + dir.resolve("nope.png"));
        assertTrue(bad.exception() instanceof CamException && bad.exception().getMessage().contains("nope.png"),
                bad::text);
        CommandResult ok = runtime.execute("cam:explain --model " + Scenes.CLEAN + " --image " + good);
        assertTrue(ok.succeeded(), ok::text);
    }
}
