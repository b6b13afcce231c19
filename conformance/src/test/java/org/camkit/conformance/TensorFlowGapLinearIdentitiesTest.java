package org.camkit.conformance;

import org.camkit.spi.LoadedModel;

/** The GAP+linear identities on the demo CNN built as a TensorFlow graph from the same weights. */
class TensorFlowGapLinearIdentitiesTest extends GapLinearIdentitiesTest {

    @Override
    LoadedModel load() {
        return Models.demoBiasedTensorFlow();
    }
}
