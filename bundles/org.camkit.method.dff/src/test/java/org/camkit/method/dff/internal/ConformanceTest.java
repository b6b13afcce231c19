package org.camkit.method.dff.internal;

import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;

/**
 * Deep feature factorisation through the testkit's method suite. Its concepts are factorised from the whole batch,
 * yet on the suite's net each image's summed concept maps are the same alone and in a batch, so no case is opted out.
 */
class ConformanceTest extends MethodConformance {

    @Override
    protected CamMethod method() {
        return new Dff();
    }
}
