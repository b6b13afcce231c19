package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.camkit.spi.Capability;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.junit.jupiter.api.Test;

/**
 * The GAP+linear identities on the demo CNN's TensorFlow twin (the SavedModel tools/camkit-convert writes from the same
 * weights). A SavedModel declares no linear head, so the identities are checked against the head of the PyTorch model
 * it was converted from, and the CAM method itself is left to the PyTorch test.
 */
class TensorFlowGapLinearIdentitiesTest extends GapLinearIdentitiesTest {

    @Override
    LoadedModel load() {
        return Models.demoBiasedTensorFlow();
    }

    @Override
    LinearHead head(LoadedModel model) {
        try (LoadedModel pytorch = Models.demoBiased()) {
            return pytorch.linearHead().orElseThrow();
        }
    }

    @Test
    void theSavedModelDeclaresNoLinearHead() {
        assertFalse(Capability.of(model()).contains(Capability.LINEAR_HEAD));
    }
}
