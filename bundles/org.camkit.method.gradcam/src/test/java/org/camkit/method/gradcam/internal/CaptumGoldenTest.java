package org.camkit.method.gradcam.internal;

import static org.camkit.method.gradcam.internal.Fixtures.channelSum;
import static org.camkit.method.gradcam.internal.Fixtures.contributions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.camkit.testkit.ReferenceNet;
import org.junit.jupiter.api.Test;

/**
 * Captum's {@code LayerGradCam} test value on its {@code BasicModel_ConvNet_One_Conv}, from the testkit's reference
 * net of it (every backend's model of that net is held to the same activations and gradients by the testkit's
 * backend suite).
 */
class CaptumGoldenTest {

    @Test
    void gradCamOfBasicModelConvNetOneConvBeforeReluIsCaptumsValue() {
        ReferenceNet net = ReferenceNet.captumOneConv();
        Tensor input = net.input(1, 0); // 0, 1, ..., 15 in the channel the net reads
        Tensor classZero = Tensor.of(new float[] {1, 0, 0, 0}, 1, 4);
        Tensor activations = net.activations(input, "conv1");
        float[] maps = contributions(new GradCam(), Fixtures.layer("conv1", activations,
                net.gradients(input, classZero, "conv1"), FakeProbe.builder().build()));
        assertArrayEquals(new float[] {11.25f, 13.5f, 20.25f, 22.5f}, channelSum(maps, activations.shape()), 1e-5f);
    }
}
