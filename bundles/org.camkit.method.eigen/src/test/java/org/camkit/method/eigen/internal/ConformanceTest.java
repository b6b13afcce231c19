package org.camkit.method.eigen.internal;

import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;
import org.junit.jupiter.api.Nested;

/** Every method of this bundle through the testkit's method suite. */
class ConformanceTest {

    @Nested
    class EigenCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new EigenCam();
        }
    }

    @Nested
    class EigenGradCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new EigenGradCam();
        }
    }

    @Nested
    class SegEigenCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new SegEigenCam();
        }
    }

    @Nested
    class KpcaCamConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new KpcaCam();
        }
    }
}
