package org.camkit.method.saliency.internal;

import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;
import org.junit.jupiter.api.Nested;

/** Every method of this bundle through the testkit's method suite. */
class ConformanceTest {

    @Nested
    class FullGradConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new FullGrad();
        }
    }

    @Nested
    class GuidedBackpropConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new GuidedBackprop();
        }
    }

    @Nested
    class GuidedGradCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new GuidedGradCam();
        }
    }
}
