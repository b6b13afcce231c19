package org.camkit.method.perturbation.internal;

import java.util.Optional;
import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;
import org.junit.jupiter.api.Nested;

/** Every method of this bundle through the testkit's method suite. */
class ConformanceTest {

    @Nested
    class AblationCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new AblationCam();
        }
    }

    @Nested
    class OcclusionConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new Occlusion();
        }
    }

    @Nested
    class IsCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new IsCam();
        }

        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("the channel weights are a softmax of the masked inputs' score gains, as in "
                    + "torch-cam's ISCAM");
        }
    }

    @Nested
    class SsCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new SsCam();
        }

        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("the channel weights are a softmax of the noisy masked inputs' score gains, as in "
                    + "torch-cam's SSCAM");
        }
    }

    @Nested
    class ScoreCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new ScoreCam();
        }

        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("the channel weights are a softmax of the masked inputs' scores, and a softmax changes "
                    + "when its inputs are scaled (as in pytorch-grad-cam's ScoreCAM)");
        }
    }
}
