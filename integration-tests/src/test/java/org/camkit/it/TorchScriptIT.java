package org.camkit.it;

import static org.camkit.it.FelixRuntime.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch users' own models: the TorchScript fixtures (exported by tools/camkit-export) in the running runtime. */
@ExtendWith(FelixRuntime.class)
class TorchScriptIT {

    static final Path FIXTURES = Path.of(System.getProperty("camkit.fixtures", "../fixtures/torchscript"))
            .toAbsolutePath().normalize();

    private final Explainer explainer = FelixRuntime.explainer();

    @TempDir
    Path dir;

    /** Image 0 of a fixture's reference input, back from the normalised tensor to a PNG. */
    private Path referencePng(String fixture) throws Exception {
        Tensor input = Npy.read(FIXTURES.resolve("reference/" + fixture + "/input.npy"));
        String json = Files.readString(FIXTURES.resolve(fixture + ".json"));
        float[] mean = floats(json, "mean");
        float[] std = floats(json, "std");
        int h = input.dim(2);
        int w = input.dim(3);
        byte[] rgb = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = (input.get((c * h + y) * w + x) * std[c] + mean[c]) * 255f;
                    rgb[3 * (y * w + x) + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return Files.write(dir.resolve(fixture + ".png"), new RgbImage(w, h, rgb).png());
    }

    private static float[] floats(String json, String key) {
        String list = json.substring(json.indexOf('[', json.indexOf("\"" + key + "\"")) + 1);
        String[] parts = list.substring(0, list.indexOf(']')).split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i].trim());
        }
        return out;
    }

    private static String meta(String fixture, String key) throws Exception {
        String json = Files.readString(FIXTURES.resolve("reference/" + fixture + "/meta.json"));
        int at = json.indexOf('"', json.indexOf(':', json.indexOf("\"" + key + "\"")) + 1);
        return json.substring(at + 1, json.indexOf('"', at + 1));
    }

    @Test
    void camExplainTakesAModelFileWithItsDescriptorBesideIt(CamkitRuntime runtime) throws Exception {
        Path png = referencePng("resnet");
        Path out = dir.resolve("resnet-cam.png");
        CommandResult result = runtime.execute("cam:explain --model " + FIXTURES.resolve("resnet.pt") + " --image "
                + png + " --target softmax:3 --out " + out);
        assertNull(result.exception(), () -> "cam:explain failed: " + result.text());
        assertTrue(Files.size(out) > 0);
        assertTrue(result.text().contains("softmax"), result.text());
    }

    @Test
    void camLayersListsTheExportedLayers(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:layers " + FIXTURES.resolve("resnet.pt"));
        assertNull(result.exception(), result::text);
        for (String layer : new String[] {"layer1", "layer2", "layer3"}) {
            assertTrue(result.text().contains(layer), result.text());
        }
    }

    @Test
    void theSegmentationTargetPutsTheMapOnThePixelsOfItsClass() throws Exception {
        Path png = referencePng("fcn");
        String target = meta("fcn", "target");
        ImageExplanation result = explainer.explain(ExplainRequest.builder(FIXTURES.resolve("fcn.pt").toString())
                .image(ImageInput.of(png)).target(target).build()).images().get(0);
        int cls = Integer.parseInt(target.split(":")[1]);
        float[] output = result.output();
        int area = result.width() * result.height();
        int classes = output.length / area;
        double inside = 0;
        double outside = 0;
        int in = 0;
        float[] cam = result.cam();
        for (int p = 0; p < area; p++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (output[k * area + p] > output[best * area + p]) {
                    best = k;
                }
            }
            if (best == cls) {
                inside += cam[p];
                in++;
            } else {
                outside += cam[p];
            }
        }
        assertTrue(in > 0, "no pixel is predicted as class " + cls);
        double meanInside = inside / in;
        double meanOutside = outside / (area - in);
        assertTrue(meanInside > 2 * meanOutside, "mean map inside the class mask " + meanInside
                + " is not well above the mean outside " + meanOutside);
        assertEquals(-1, result.predicted(), "a segmentation output has no single predicted class");
    }

    @Test
    void aVisionTransformerIsExplainedEndToEndThroughItsTokenGrid() throws Exception {
        Path png = referencePng("vit");
        org.camkit.api.Explanation explanation = explainer.explain(ExplainRequest
                .builder(FIXTURES.resolve("vit.pt").toString()).image(ImageInput.of(png)).build());
        ImageExplanation result = explanation.images().get(0);
        assertTrue(explanation.layers().get(0).startsWith("blocks_"), explanation.layers().toString());
        assertEquals(32 * 32, result.cam().length);
        float max = 0;
        for (float v : result.cam()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-4f);
    }

    @Test
    void aModelRegisteredByACfgFileComesAndGoes(CamkitRuntime runtime) throws Exception {
        String json = Files.readString(FIXTURES.resolve("resnet.json"));
        Path cfg = FelixRuntime.deployDir().resolve("org.camkit.model-resnet.cfg");
        Files.writeString(cfg, String.join("\n",
                "name=configured-resnet",
                "backend=pytorch",
                "file=" + FIXTURES.resolve("resnet.pt"),
                "architecture=torchscript",
                "inputWidth=64",
                "inputHeight=64",
                "mean=" + join(floats(json, "mean")),
                "std=" + join(floats(json, "std")),
                "defaultLayer=layer3",
                ""));
        try {
            await(() -> runtime.execute("cam:models").text().contains("configured-resnet"),
                    "cam:models to list the configured model");
            Path png = referencePng("resnet");
            assertEquals(1, explainer.explain(ExplainRequest.builder("configured-resnet").image(ImageInput.of(png))
                    .build()).images().size());
        } finally {
            Files.delete(cfg);
        }
        await(() -> !runtime.execute("cam:models").text().contains("configured-resnet"),
                "cam:models to drop the configured model");
    }

    private static String join(float[] values) {
        StringBuilder s = new StringBuilder();
        for (float v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }

    @Test
    void badModelFilesAreClearErrorsAndTheRuntimeKeepsServing() throws Exception {
        Path png = referencePng("resnet");
        String json = Files.readString(FIXTURES.resolve("resnet.json"));
        Path corrupt = dir.resolve("corrupt.pt");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Files.writeString(dir.resolve("corrupt.json"), json.replace("\"resnet.pt\"", "\"corrupt.pt\"")
                .replace("\"resnet\"", "\"corrupt\""));
        CamException bad = assertThrows(CamException.class, () -> explainer.explain(ExplainRequest
                .builder(corrupt.toString()).image(ImageInput.of(png)).build()));
        assertTrue(bad.getMessage().contains("corrupt.pt"), bad.getMessage());

        Files.copy(FIXTURES.resolve("resnet.pt"), dir.resolve("unknown.pt"));
        Files.writeString(dir.resolve("unknown.json"), json.replace("\"resnet.pt\"", "\"unknown.pt\"")
                .replace("\"resnet\"", "\"unknown\"").replace("\"defaultLayer\": \"layer3\"",
                        "\"defaultLayer\": \"layer9\""));
        CamException layer = assertThrows(CamException.class, () -> explainer.explain(ExplainRequest
                .builder(dir.resolve("unknown.pt").toString()).image(ImageInput.of(png)).build()));
        assertTrue(layer.getMessage().contains("layer9") && layer.getMessage().contains("layer3"),
                layer.getMessage());

        assertEquals(1, explainer.explain(ExplainRequest.builder(FIXTURES.resolve("resnet.pt").toString())
                .image(ImageInput.of(png)).build()).images().size(), "the runtime still serves");
    }
}
