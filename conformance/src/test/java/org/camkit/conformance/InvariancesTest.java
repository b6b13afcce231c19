package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camkit.core.internal.Pipeline;
import org.camkit.method.gradcam.internal.GradCam;
import org.camkit.method.gradcam.internal.GradCamElementWise;
import org.camkit.method.gradcam.internal.HiResCam;
import org.camkit.method.gradcam.internal.LayerCam;
import org.camkit.method.gradcam.internal.XGradCam;
import org.camkit.method.perturbation.internal.AblationCam;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scaling the target by c > 0 leaves the maps of the linear-in-the-target methods unchanged. */
class InvariancesTest {

    private static LoadedModel model;
    private static Tensor input;

    @BeforeAll
    static void load() {
        model = Models.demoBiased();
        input = Models.demoScenes(3, 70);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<CamMethod> scaleInvariant() {
        return Stream.of(new GradCam(), new HiResCam(), new XGradCam(), new LayerCam(), new GradCamElementWise(),
                new AblationCam());
    }

    /** Class 0's logit times {@code factor}, with the matching seed. */
    private static TargetResolver scaled(float factor) {
        return request -> {
            float[] seed = new float[request.output().length];
            seed[0] = factor;
            return new TargetScore("class 0 x " + factor, 0, factor * request.output()[0], seed);
        };
    }

    private static List<float[]> maps(CamMethod method, float factor) {
        Pipeline pipeline = Models.pipeline(model, method, scaled(factor), "", List.of(Models.DEMO_LAYER), Map.of());
        return pipeline.run(input, false).stream().map(Pipeline.ImageResult::cam).toList();
    }

    @ParameterizedTest
    @MethodSource("scaleInvariant")
    void scalingTheTargetLeavesTheMapUnchanged(CamMethod method) {
        List<float[]> once = maps(method, 1f);
        List<float[]> scaled = maps(method, 3.5f);
        for (int i = 0; i < once.size(); i++) {
            assertArrayEquals(once.get(i), scaled.get(i), 1e-5f, method.getClass().getSimpleName() + " image " + i);
        }
    }
}
