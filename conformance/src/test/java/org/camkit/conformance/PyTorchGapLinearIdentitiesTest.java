package org.camkit.conformance;

import org.camkit.spi.LoadedModel;

/** The GAP+linear identities on the demo CNN in DJL (libtorch). */
class PyTorchGapLinearIdentitiesTest extends GapLinearIdentitiesTest {

    @Override
    LoadedModel load() {
        return Models.demoBiased();
    }
}
