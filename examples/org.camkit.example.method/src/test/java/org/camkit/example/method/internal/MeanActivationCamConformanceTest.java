package org.camkit.example.method.internal;

import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;

/** The whole test of this plugin: camkit's method conformance suite, run on it. */
class MeanActivationCamConformanceTest extends MethodConformance {

    @Override
    protected CamMethod method() {
        return new MeanActivationCam();
    }
}
