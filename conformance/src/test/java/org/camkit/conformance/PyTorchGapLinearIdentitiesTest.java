package org.camkit.conformance;

import org.camkit.method.gradcam.internal.Cam;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.junit.jupiter.api.Test;

/** The GAP+linear identities on the demo CNN in DJL (libtorch), which declares its linear head. */
class PyTorchGapLinearIdentitiesTest extends GapLinearIdentitiesTest {

    @Override
    LoadedModel load() {
        return Models.demoBiased();
    }

    @Override
    LinearHead head(LoadedModel model) {
        return gradCam().data().probe().linearHead().orElseThrow();
    }

    @Test
    void gradCamIsCamDividedByTheArea() {
        Maps.Run cam = Maps.run(model(), new Cam(), input(), "1", Models.DEMO_LAYER);
        float[][] expected = cam.summed();
        for (float[] map : expected) {
            for (int p = 0; p < map.length; p++) {
                map[p] /= area();
            }
        }
        Maps.assertClose(expected, gradCam().summed(), 1e-4, "Grad-CAM vs CAM/(h*w)");
    }
}
