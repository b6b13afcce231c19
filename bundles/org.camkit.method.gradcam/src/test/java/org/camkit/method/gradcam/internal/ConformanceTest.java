package org.camkit.method.gradcam.internal;

import java.util.Optional;
import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;
import org.junit.jupiter.api.Nested;

/** Every method of this bundle through the testkit's method suite. */
class ConformanceTest {

    @Nested
    class CamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new Cam();
        }
    }

    @Nested
    class GradCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new GradCam();
        }
    }

    @Nested
    class GradCamElementWiseConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new GradCamElementWise();
        }
    }

    @Nested
    class GradCamPlusPlusConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new GradCamPlusPlus();
        }

        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("alpha = g^2 / (2 g^2 + S_k g^3) is not homogeneous in the gradients "
                    + "(GradientScalingTest.gradCamPlusPlusIsNotLinearInTheGradients)");
        }
    }

    @Nested
    class HiResCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new HiResCam();
        }
    }

    @Nested
    class LayerCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new LayerCam();
        }
    }

    @Nested
    class XGradCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new XGradCam();
        }
    }

    @Nested
    class RandomCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new RandomCam();
        }

        @Override
        protected Optional<String> batchDependence() {
            return Optional.of("as np.random.uniform(-1, 1, (N, C)) in pytorch-grad-cam, the weights are drawn for the"
                    + " batch: an image's weights depend on its place in it (RandomCamTest)");
        }
    }

    @Nested
    class FemConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new Fem();
        }
    }

    @Nested
    class FinerCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new FinerCam();
        }
    }

    @Nested
    class RefineCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new RefineCam();
        }

        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("its layers' maps are Grad-CAM++'s, whose alpha is not homogeneous in the gradients");
        }
    }
}
