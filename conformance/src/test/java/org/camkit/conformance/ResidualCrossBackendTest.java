package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.camkit.backend.djl.internal.DjlBackend;
import org.camkit.backend.tensorflow.internal.TfBackend;
import org.camkit.core.internal.Descriptors;
import org.camkit.core.internal.Pipeline;
import org.camkit.method.dff.internal.Dff;
import org.camkit.method.eigen.internal.EigenCam;
import org.camkit.method.eigen.internal.EigenGradCam;
import org.camkit.method.gradcam.internal.Cam;
import org.camkit.method.gradcam.internal.GradCam;
import org.camkit.method.gradcam.internal.GradCamElementWise;
import org.camkit.method.gradcam.internal.GradCamPlusPlus;
import org.camkit.method.gradcam.internal.HiResCam;
import org.camkit.method.gradcam.internal.LayerCam;
import org.camkit.method.gradcam.internal.XGradCam;
import org.camkit.method.perturbation.internal.AblationCam;
import org.camkit.method.perturbation.internal.Occlusion;
import org.camkit.method.perturbation.internal.ScoreCam;
import org.camkit.method.saliency.internal.FullGrad;
import org.camkit.method.saliency.internal.GuidedBackprop;
import org.camkit.method.saliency.internal.GuidedGradCam;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One residual network (batch norm, residual blocks) with the same weights on both engines: the TorchScript fixture
 * through DJL and its Keras twin through TensorFlow. Every method both backends support gives the same map.
 */
class ResidualCrossBackendTest {

    private static final Path FIXTURES = Path.of(System.getProperty("camkit.fixtures", "../fixtures"));
    private static LoadedModel pytorch;
    private static LoadedModel tensorflow;
    private static Tensor input;

    @BeforeAll
    static void load() {
        pytorch = new DjlBackend().load(Descriptors.read(FIXTURES.resolve("torchscript/resnet.json")));
        tensorflow = new TfBackend().load(Descriptors.read(FIXTURES.resolve("tensorflow/resnet.json")));
        input = Models.noise(2, 64, 11);
    }

    @AfterAll
    static void close() {
        pytorch.close();
        tensorflow.close();
    }

    static Stream<CamMethod> methods() {
        return Stream.of(new GradCam(), new HiResCam(), new GradCamElementWise(), new GradCamPlusPlus(),
                new XGradCam(), new LayerCam(), new Cam(), new EigenCam(), new EigenGradCam(), new ScoreCam(),
                new AblationCam(), new Occlusion(), new FullGrad(), new GuidedBackprop(), new GuidedGradCam(),
                new Dff());
    }

    private static List<float[]> maps(LoadedModel model, CamMethod method) {
        Pipeline pipeline = Models.pipeline(model, method, "3", List.of("layer3"));
        return pipeline.run(input, false).stream().map(Pipeline.ImageResult::cam).toList();
    }

    @Test
    void everyMethodBothBackendsSupportGivesTheSameMaps() {
        Set<Capability> both = java.util.EnumSet.copyOf(Capability.of(pytorch));
        both.retainAll(Capability.of(tensorflow));
        List<CamMethod> supported = methods().filter(m -> both.containsAll(m.requires())).toList();
        assertTrue(supported.size() >= 12, "only " + supported.size() + " methods run on both: " + both);
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (CamMethod method : supported) {
            List<float[]> pt = maps(pytorch, method);
            List<float[]> tf = maps(tensorflow, method);
            double max = 0;
            for (int i = 0; i < pt.size(); i++) {
                for (int p = 0; p < pt.get(i).length; p++) {
                    max = Math.max(max, Math.abs(pt.get(i)[p] - tf.get(i)[p]));
                }
            }
            report.append(method.getClass().getSimpleName()).append(' ').append(max).append("; ");
            worst = Math.max(worst, max);
        }
        assertTrue(worst <= 1e-4, "normalised maps differ between the backends: " + report);
    }
}
