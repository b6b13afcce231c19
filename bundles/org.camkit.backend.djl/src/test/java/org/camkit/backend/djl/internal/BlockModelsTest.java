package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.Cams;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LinearHead;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.camkit.testkit.ReferenceNet;
import org.junit.jupiter.api.Test;

class BlockModelsTest {

    private static final int K = 5;

    @Test
    void outputFromALayerEqualsTheForwardOutput() {
        try (LoadedModel model = TestNets.randomModel("gapnet", TestNets.gapNet(K), 3, 12, K, 1, 1f)) {
            List<String> layers = List.of("conv1", "pool1", "relu2", "gap");
            try (ForwardPass pass = model.forward(TestNets.gaussian(2, 3, 3, 12, 12), layers)) {
                float[] expected = pass.output().toArray();
                for (String layer : layers) {
                    Tensor output = model.layerForward().orElseThrow().outputFrom(layer, pass.activations(layer));
                    assertArrayEquals(new int[] {3, K}, output.shape(), layer);
                    assertArrayEquals(expected, output.toArray(), 1e-5f, layer);
                }
            }
        }
    }

    @Test
    void activationsOfTheWrongShapeAreRefusedNamingModelLayerAndShape() {
        try (LoadedModel model = TestNets.randomModel("gapnet", TestNets.gapNet(K), 3, 12, K, 3, 1f)) {
            Tensor pool1 = TestNets.gaussian(4, 2, 4, 6, 6);
            CamException e = assertThrows(CamException.class,
                    () -> model.layerForward().orElseThrow().outputFrom("relu2", pool1));
            assertTrue(e.getMessage().contains("'gapnet'") && e.getMessage().contains("'relu2'")
                    && e.getMessage().contains("[2, 6, 6, 6]"), e.getMessage());
            CamException unknown = assertThrows(CamException.class,
                    () -> model.layerForward().orElseThrow().outputFrom("conv9", pool1));
            assertTrue(unknown.getMessage().contains("conv9") && unknown.getMessage().contains("relu2"),
                    unknown.getMessage());
        }
    }

    @Test
    void linearHeadIsTheFcLayerAndSatisfiesTheCamIdentity() {
        float[] weights = TestNets.gaussian(5, K, 6).toArray();
        float[] bias = TestNets.gaussian(6, K).toArray();
        NDManager manager = BlockModels.newManager();
        Architectures.Network network = TestNets.initialize(TestNets.gapNet(K), manager, 3, 12);
        TestNets.randomize(network, 7, 1f);
        BlockModels.setParameter(network, "fc", "weight", weights);
        BlockModels.setParameter(network, "fc", "bias", bias);
        try (LoadedModel model = BlockModels.wrap(TestNets.descriptor("gapnet", 12, K), network, manager)) {
            assertTrue(Capability.of(model).contains(Capability.LINEAR_HEAD));
            LinearHead head = model.linearHead().orElseThrow();
            assertEquals("relu2", head.layer());
            assertEquals(Tensor.copyOf(weights, new int[] {K, 6}), head.weights());
            assertArrayEquals(bias, head.bias());
            assertCamIdentity(model, head, TestNets.gaussian(8, 2, 3, 12, 12));
        }
    }

    @Test
    void networkWithoutGapAndLinearHasEverythingButALinearHead() {
        try (LoadedModel model = DjlConformanceTest.build(ReferenceNet.convFc())) {
            EnumSet<Capability> expected = EnumSet.allOf(Capability.class);
            expected.remove(Capability.LINEAR_HEAD);
            assertEquals(expected, Capability.of(model));
            assertTrue(model.linearHead().isEmpty());
        }
    }

    /** Captum's BasicModel_ConvNet_One_Conv: a single-channel input, and a Grad-CAM map known from Captum's tests. */
    @Test
    void captumOneConvNetGivesTheKnownGradCamMapAtConv1() {
        NDManager manager = BlockModels.newManager();
        Architectures.Network network = TestNets.initialize(TestNets.network("conv1", TestNets.conv(2, 3, 0),
                "relu1", Activation.reluBlock(), "flatten", Blocks.batchFlattenBlock(), "fc1", TestNets.linear(4),
                "relu2", Activation.reluBlock()), manager, 1, 4);
        float[] ones = new float[18];
        Arrays.fill(ones, 1);
        BlockModels.setParameter(network, "conv1", "weight", ones);
        BlockModels.setParameter(network, "conv1", "bias", -50, -75);
        float[] row = {1, 1, 1, 1, 1, -1, -1, -1};
        float[] fc = new float[32];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(row, 0, fc, 8 * k, 8);
        }
        BlockModels.setParameter(network, "fc1", "weight", fc);
        BlockModels.setParameter(network, "fc1", "bias", 0, 0, 0, 0);
        float[] arange = new float[16];
        for (int i = 0; i < 16; i++) {
            arange[i] = i;
        }
        try (LoadedModel model = BlockModels.wrap(TestNets.descriptor("captum", 4, 4), network, manager);
                ForwardPass pass = model.forward(Tensor.copyOf(arange, new int[] {1, 1, 4, 4}), List.of("conv1"))) {
            assertArrayEquals(new float[] {54, 54, 54, 54}, pass.output().toArray(), 1e-4f);
            Tensor gradient = pass.gradients(Tensor.copyOf(new float[] {1, 0, 0, 0}, new int[] {1, 4})).get("conv1");
            Tensor cam = Cams.weightedSum(pass.activations("conv1"), Cams.channelMeans(gradient));
            assertArrayEquals(new int[] {1, 2, 2}, cam.shape());
            assertArrayEquals(new float[] {11.25f, 13.5f, 20.25f, 22.5f}, cam.toArray(), 1e-4f);
        }
    }

    @Test
    void callsLeaveNoArraysInTheModelsManager() {
        NDManager manager = BlockModels.newManager();
        Architectures.Network network = TestNets.initialize(TestNets.batchNormNet(K), manager, 3, 12);
        TestNets.randomize(network, 13, 1f);
        try (LoadedModel model = BlockModels.wrap(TestNets.descriptor("bnnet", 12, K), network, manager)) {
            int before = manager.getManagedArrays().size();
            Tensor input = TestNets.gaussian(14, 2, 3, 12, 12);
            model.inputBackward().orElseThrow().backward(input, TestNets.gaussian(15, 2, K));
            model.guidedBackward().orElseThrow().backward(input, TestNets.gaussian(15, 2, K));
            model.linearHead().orElseThrow();
            try (ForwardPass pass = model.forward(input, List.of("pool1"))) {
                model.layerForward().orElseThrow().outputFrom("pool1", pass.activations("pool1"));
            }
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    @Test
    void inputWithAnotherChannelCountIsRefused() {
        try (LoadedModel model = DjlConformanceTest.build(ReferenceNet.convFc())) {
            Tensor twoChannels = TestNets.gaussian(11, 1, 2, 4, 4);
            CamException e = assertThrows(CamException.class, () -> model.forward(twoChannels, List.of()));
            assertTrue(e.getMessage().contains("[N, 3, H, W]"), e.getMessage());
            assertThrows(CamException.class, () -> model.inputBackward().orElseThrow().backward(twoChannels,
                    TestNets.gaussian(12, 1, 3)));
        }
    }

    @Test
    void descriptorOfAnotherInputSizeIsRefused() {
        try (NDManager manager = BlockModels.newManager()) {
            Architectures.Network network = TestNets.initialize(DjlConformanceTest.network(ReferenceNet.convFc()), manager, 3, 4);
            CamException e = assertThrows(CamException.class,
                    () -> BlockModels.wrap(TestNets.descriptor("tiny", 8, 3), network, manager));
            assertTrue(e.getMessage().contains("'tiny'") && e.getMessage().contains("8x8"), e.getMessage());
        }
    }

    @Test
    void setParameterNamesAnUnknownParameterAndAWrongValueCount() {
        try (NDManager manager = BlockModels.newManager()) {
            Architectures.Network network = TestNets.initialize(DjlConformanceTest.network(ReferenceNet.convFc()), manager, 3, 4);
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> BlockModels.setParameter(network, "relu1", "weight", 1f));
            assertTrue(unknown.getMessage().contains("relu1"), unknown.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> BlockModels.setParameter(network, "conv1", "bias", 1f, 2f));
            assertTrue(count.getMessage().contains("needs 3 values, got 2"), count.getMessage());
        }
    }

    /** {@code output[n, k] = sum_c W[k, c] mean(A[n, c]) + b[k]}, A the activations entering the pooling. */
    static void assertCamIdentity(LoadedModel model, LinearHead head, Tensor input) {
        try (ForwardPass pass = model.forward(input, List.of(head.layer()))) {
            float[][] means = Cams.channelMeans(pass.activations(head.layer()));
            Tensor output = pass.output();
            float[] w = head.weights().toArray();
            float[] b = head.bias();
            int channels = head.weights().dim(1);
            for (int n = 0; n < means.length; n++) {
                for (int k = 0; k < b.length; k++) {
                    double sum = b[k];
                    for (int c = 0; c < channels; c++) {
                        sum += w[k * channels + c] * means[n][c];
                    }
                    assertEquals(sum, output.at(n, k), 1e-4 * (1 + Math.abs(sum)), "n=" + n + " k=" + k);
                }
            }
        }
    }
}
