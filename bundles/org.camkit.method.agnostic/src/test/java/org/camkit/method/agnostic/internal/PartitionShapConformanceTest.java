package org.camkit.method.agnostic.internal;

import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;

/** Partition SHAP through the testkit's method suite. */
class PartitionShapConformanceTest extends MethodConformance {

    @Override
    protected CamMethod method() {
        return new PartitionShap();
    }
}
