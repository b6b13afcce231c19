package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.Images;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Plugins;
import org.osgi.framework.ServiceRegistration;
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
    void aComparisonOfAnUndecodableImageFailsOnceUpFront() throws Exception {
        Path corrupt = Files.write(dir.resolve("not-an-image.png"), "plain text".getBytes());
        CamException e = assertThrows(CamException.class, () -> explainer.compare(clean(corrupt).build(),
                java.util.List.of("gradcam", "eigencam", "scorecam"), 0));
        assertTrue(e.getMessage().startsWith("image '" + corrupt + "'"), e.getMessage());
        assertEquals(e.getMessage().indexOf("not-an-image.png"), e.getMessage().lastIndexOf("not-an-image.png"),
                "named once: " + e.getMessage());
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
    void limitsAndANormalisationGivingNanAreRefusedBeforeTheyCostAnything() throws Exception {
        String clean = Files.readString(Path.of(System.getProperty("camkit.models", "../models"), "demo-clean.json"))
                .replace("\"file\": \"demo-clean.params\"", "\"file\": \"" + Path.of(System.getProperty(
                        "camkit.models", "../models"), "demo-clean.params").toAbsolutePath() + "\"");
        Path huge = Files.writeString(dir.resolve("huge.json"), clean.replace("\"inputWidth\": 112",
                "\"inputWidth\": 8000").replace("\"inputHeight\": 112", "\"inputHeight\": 8000"));
        assertRejected(ExplainRequest.builder(huge.toString()).image(ImageInput.of(good)), "8000x8000",
                "camkit.limits.modelSide");
        Path noDefault = Files.writeString(dir.resolve("no-default.json"), clean.replace(
                "\"defaultLayer\": \"relu4\",", ""));
        assertRejected(ExplainRequest.builder(noDefault.toString()).image(ImageInput.of(good)),
                "has no defaultLayer", "--layer", "relu4");
        assertEquals("bulbasaur", explainer.explain(ExplainRequest.builder(noDefault.toString())
                .image(ImageInput.of(good)).layer("relu4").build()).images().get(0).predictedLabel());
        Path zeroStd = Files.writeString(dir.resolve("zero-std.json"), clean.replace("[0.25,0.25,0.25]", "[0.25,0,0.25]"));
        assertRejected(ExplainRequest.builder(zeroStd.toString()).image(ImageInput.of(good)), "zero-std.json",
                "std", "above 0");
        // a PNG whose header claims 30000 x 30000 pixels
        byte[] png = Files.readAllBytes(good);
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(30000).putInt(30000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        Path bomb = Files.write(dir.resolve("bomb.png"), png);
        assertRejected(clean(bomb), "bomb.png", "30000x30000", "camkit.limits.imagePixels");
        // a pass of 100,000 occluded pictures would take many gigabytes: refused before it runs
        assertRejected(clean(good).method("occlusion").option("batch-size", "100000"), "a pass of ",
                "lower the method's batch-size option", "camkit.limits.batchPixels");
    }

    @Test
    void aMethodRunningOutOfMemoryFailsItsRequestAloneSayingWhatToLower() {
        CamMethod hungry = new CamMethod() {
            @Override
            public Set<Capability> requires() {
                return Set.of(Capability.ACTIVATIONS);
            }

            @Override
            public Map<String, String> options() {
                return Map.of("batch-size", "rows per pass");
            }

            @Override
            public CamMaps compute(LayerData data) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        Dictionary<String, Object> properties = new Hashtable<>(Map.of(Plugins.METHOD, "hungry-it"));
        ServiceRegistration<CamMethod> registration = FelixRuntime.runtime().context()
                .registerService(CamMethod.class, hungry, properties);
        try {
            assertRejected(clean(good).method("hungry-it").option("batch-size", "4096"), "not enough memory",
                    "'hungry-it'", "Java heap space", "lower the option batch-size");
        } finally {
            registration.unregister();
        }
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
