package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.camkit.method.gradcam.internal.GradCam;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

/** Captum's LayerGradCam test value, on the same network built in DJL. */
class CaptumGoldenTest {

    @Test
    void gradCamOfBasicModelConvNetOneConvBeforeReluIsCaptumsValue() {
        float[] arange = new float[16];
        for (int i = 0; i < 16; i++) {
            arange[i] = i;
        }
        try (LoadedModel model = Models.captumOneConv()) {
            Maps.Run run = Maps.run(model, new GradCam(), Tensor.copyOf(arange, new int[] {1, 1, 4, 4}), "0", "conv1");
            assertArrayEquals(new float[] {11.25f, 13.5f, 20.25f, 22.5f}, run.summed()[0], 1e-5f);
        }
    }
}
