package org.camkit.method.agnostic.internal;

import java.util.Optional;
import org.camkit.spi.CamMethod;
import org.camkit.testkit.MethodConformance;
import org.junit.jupiter.api.Nested;

/** The superpixel methods of this bundle through the testkit's method suite. */
class ConformanceTest {

    @Nested
    class LimeConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new Lime();
        }

        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("the ridge penalty (alpha 1, as lime's) shrinks the coefficients less when the scores "
                    + "are larger, so the map's shape changes with the target's scale");
        }
    }

    @Nested
    class KernelShapConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new KernelShap();
        }
    }
}
