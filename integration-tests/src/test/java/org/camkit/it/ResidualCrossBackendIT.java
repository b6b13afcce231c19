package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One residual network (batch norm, residual blocks) with the same weights on both engines, each given by its
 * descriptor's path: the TorchScript fixture through the PyTorch backend and its Keras twin through the TensorFlow
 * backend. Every method both support gives the same maps.
 */
@ExtendWith(FelixRuntime.class)
class ResidualCrossBackendIT {

    static final Path FIXTURES = Path.of(System.getProperty("camkit.fixtures.root", "../fixtures")).toAbsolutePath()
            .normalize();
    static final String PYTORCH = FIXTURES.resolve("torchscript/resnet.json").toString();
    static final String TENSORFLOW = FIXTURES.resolve("tensorflow/resnet.json").toString();

    private final Explainer explainer = FelixRuntime.explainer();

    /** Two 64x64 images of random pixels. */
    private static List<ImageInput> images() {
        Random random = new Random(11);
        return List.of(ImageInput.of(noise(random)), ImageInput.of(noise(random)));
    }

    private static RgbImage noise(Random random) {
        byte[] rgb = new byte[64 * 64 * 3];
        random.nextBytes(rgb);
        return new RgbImage(64, 64, rgb);
    }

    private List<float[]> maps(String model, String method) {
        ExplainRequest.Builder request = MethodsIT.light(ExplainRequest.builder(model), method).target("class:3")
                .layer("layer3");
        images().forEach(request::image);
        return explainer.explain(request.build()).images().stream().map(ImageExplanation::cam).toList();
    }

    @Test
    void everyMethodBothBackendsSupportGivesTheSameMaps() {
        List<String> pytorch = explainer.capabilities(PYTORCH);
        List<String> tensorflow = explainer.capabilities(TENSORFLOW);
        StringBuilder report = new StringBuilder();
        double worst = 0;
        int compared = 0;
        for (PluginInfo method : explainer.plugins(PluginInfo.Kind.METHOD)) {
            List<String> needs = method.details().stream().filter(d -> !d.startsWith("option ")).toList();
            if (!pytorch.containsAll(needs) || !tensorflow.containsAll(needs)) {
                continue;
            }
            List<float[]> pt = maps(PYTORCH, method.name());
            List<float[]> tf = maps(TENSORFLOW, method.name());
            assertEquals(pt.size(), tf.size(), method.name());
            double max = 0;
            for (int i = 0; i < pt.size(); i++) {
                for (int p = 0; p < pt.get(i).length; p++) {
                    max = Math.max(max, Math.abs(pt.get(i)[p] - tf.get(i)[p]));
                }
            }
            report.append(method.name()).append(' ').append(max).append("; ");
            worst = Math.max(worst, max);
            compared++;
        }
        assertTrue(compared >= 12, "only " + compared + " methods run on both: " + report);
        assertTrue(worst <= 1e-4, "normalised maps differ between the backends: " + report);
    }
}
