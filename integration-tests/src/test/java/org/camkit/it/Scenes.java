package org.camkit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camkit.api.Explainer;
import org.camkit.api.ModelInfo;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;

/** Test scenes from the demo's generator, at a model's input size, with their object boxes. */
final class Scenes {

    static final String BIASED = "demo-biased";
    static final String CLEAN = "demo-clean";

    private Scenes() {
    }

    static int inputSize(Explainer explainer, String model) {
        return explainer.models().stream().filter(m -> m.name().equals(model)).findFirst()
                .map(ModelInfo::inputWidth)
                .orElseThrow(() -> new AssertionError("model " + model + " is not registered: " + explainer.models()));
    }

    static Scene scene(Explainer explainer, String model, long seed, int label, boolean duck) {
        return new SceneGenerator(inputSize(explainer, model)).scene(seed, label, duck);
    }

    static Path png(Scene scene, Path file) {
        try {
            return Files.write(file, scene.image().png());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the (x, y) of the map's largest value */
    static int[] peak(float[] map, int width) {
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        return new int[] {best % width, best / width};
    }

    /**
     * The demo's rule: the box holding the map's peak, or the nearer box within one cell of the network's last
     * map (the CAM is coarser than the image).
     */
    static StoryTally.Peak peakOn(float[] map, int width, Scene scene) {
        return StoryTally.peak(map, width, scene, StoryTally.defaultMargin(width));
    }
}
