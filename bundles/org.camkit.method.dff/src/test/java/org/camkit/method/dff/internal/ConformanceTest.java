package org.camkit.method.dff.internal;

import java.util.Optional;
import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;

/**
 * Deep feature factorisation through the testkit's method suite. Its concepts are factorised from the whole batch
 * (one NMF of the batch's {@code [C, N*h*w]} activations, as pytorch-grad-cam's {@code dff()}), so an image's concept
 * maps depend on the other images of the batch: the batch case is opted out, saying so.
 */
class ConformanceTest extends MethodConformance {

    @Override
    protected CamMethod method() {
        return new Dff();
    }

    @Override
    protected Optional<String> batchDependence() {
        return Optional.of("one NMF factorises the whole batch's activations (as pytorch-grad-cam's dff()): the "
                + "concepts, and so each image's maps, depend on the other images");
    }
}
