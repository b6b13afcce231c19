package org.camkit.method.dff.internal;

import java.util.Optional;
import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;

/** Deep feature factorisation through the testkit's method suite. */
class ConformanceTest extends MethodConformance {

    @Override
    protected CamMethod method() {
        return new Dff();
    }

    @Override
    protected Optional<String> batchDependence() {
        return Optional.of("the concepts are factorised from the activations of the whole batch (as in "
                + "pytorch-grad-cam's DeepFeatureFactorization)");
    }
}
