package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camkit.api.CamException;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.camkit.testkit.ReferenceNet;
import org.junit.jupiter.api.Test;

class BackwardTest {

    private static final int K = 5;

    @Test
    void completenessHoldsOnAReluNetWithBiasesMaxPoolGapAndLinearHead() {
        try (LoadedModel model = TestNets.randomModel("gapnet", TestNets.gapNet(K), 3, 12, K, 1, 1f)) {
            InputGradients g = assertComplete(model, TestNets.gaussian(2, 2, 3, 12, 12), TestNets.gaussian(3, 2, K));
            assertEquals(List.of("conv1", "conv2", "fc"), List.copyOf(g.biasTerms().keySet()));
            assertArrayEquals(new int[] {2, K, 1, 1}, g.biasTerms().get("fc").shape());
            assertArrayEquals(new int[] {2, 6, 6, 6}, g.biasTerms().get("conv2").shape());
        }
    }

    @Test
    void completenessHoldsOnTheDemoCnnWithRandomWeights() {
        try (LoadedModel model = TestNets.randomModel("democnn", Architectures.build(Architectures.DEMO_CNN, K), 3,
                32, K, 4, 1f)) {
            InputGradients g = assertComplete(model, TestNets.gaussian(5, 1, 3, 32, 32), TestNets.gaussian(6, 1, K));
            assertEquals(List.of("conv1", "conv2", "conv3", "conv4", "fc"), List.copyOf(g.biasTerms().keySet()));
        }
    }

    @Test
    void completenessHoldsWithTheEffectiveBiasOfABatchNorm() {
        try (LoadedModel model = TestNets.randomModel("bnnet", TestNets.batchNormNet(K), 3, 12, K, 7, 1f)) {
            InputGradients g = assertComplete(model, TestNets.gaussian(8, 2, 3, 12, 12), TestNets.gaussian(9, 2, K));
            assertEquals(List.of("bn1", "conv2", "fc"), List.copyOf(g.biasTerms().keySet()));
        }
    }

    @Test
    void biasTermsAreTheBiasTimesTheGradientAtTheLayerOutput() {
        Architectures.Network network = TestNets.gapNet(K);
        try (LoadedModel model = TestNets.randomModel("gapnet", network, 3, 12, K, 10, 1f)) {
            Tensor input = TestNets.gaussian(11, 2, 3, 12, 12);
            Tensor seed = TestNets.gaussian(12, 2, K);
            Map<String, Tensor> captured;
            try (ForwardPass pass = model.forward(input, List.of("conv1", "conv2"))) {
                captured = pass.gradients(seed);
            }
            Map<String, Tensor> terms = model.inputBackward().orElseThrow().backward(input, seed).biasTerms();
            for (String layer : List.of("conv1", "conv2")) {
                float[] bias = TestNets.parameter(network, layer, "bias");
                Tensor gradient = captured.get(layer);
                Tensor term = terms.get(layer);
                assertArrayEquals(gradient.shape(), term.shape(), layer);
                float[] g = gradient.toArray();
                float[] t = term.toArray();
                int area = gradient.dim(2) * gradient.dim(3);
                for (int i = 0; i < g.length; i++) {
                    assertEquals(bias[(i / area) % bias.length] * g[i], t[i], 1e-6, layer + " at " + i);
                }
            }
        }
    }

    @Test
    void callingThreadKeepsItsGradMode() {
        try (LoadedModel model = DjlConformanceTest.build(ReferenceNet.convFc())) {
            Tensor input = TestNets.gaussian(20, 1, 3, 4, 4);
            Tensor seed = TestNets.gaussian(21, 1, 3);
            for (boolean mode : new boolean[] {false, true}) {
                JniUtils.setGradMode(mode);
                model.inputBackward().orElseThrow().backward(input, seed);
                assertEquals(mode, JniUtils.isGradMode());
                try (ForwardPass pass = model.forward(input, List.of("relu1"))) {
                    model.layerForward().orElseThrow().outputFrom("relu1", pass.activations("relu1"));
                }
                assertEquals(mode, JniUtils.isGradMode());
            }
        }
    }

    @Test
    void concurrentBackwardCallsGiveTheSameGradientsAsOne() throws Exception {
        try (LoadedModel model = TestNets.randomModel("gapnet", TestNets.gapNet(K), 3, 12, K, 25, 1f)) {
            Tensor input = TestNets.gaussian(26, 1, 3, 12, 12);
            Tensor seed = TestNets.gaussian(27, 1, K);
            InputGradients expected = model.inputBackward().orElseThrow().backward(input, seed);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<InputGradients>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    boolean guided = i % 2 == 1;
                    results.add(pool.submit(
                            () -> (guided ? model.guidedBackward() : model.inputBackward()).orElseThrow().backward(input, seed)));
                }
                for (int i = 0; i < results.size(); i += 2) {
                    InputGradients plain = results.get(i).get();
                    assertArrayEquals(expected.input().toArray(), plain.input().toArray(), 1e-6f);
                    assertArrayEquals(expected.biasTerms().get("conv1").toArray(),
                            plain.biasTerms().get("conv1").toArray(), 1e-6f);
                    assertTrue(results.get(i + 1).get().biasTerms().isEmpty());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void seedOfTheWrongShapeIsRefused() {
        try (LoadedModel model = DjlConformanceTest.build(ReferenceNet.convFc())) {
            Tensor input = TestNets.gaussian(23, 1, 3, 4, 4);
            CamException e = assertThrows(CamException.class,
                    () -> model.inputBackward().orElseThrow().backward(input, TestNets.gaussian(24, 1, 7)));
            assertTrue(e.getMessage().contains("conv-fc") && e.getMessage().contains("[1, 3]"), e.getMessage());
        }
    }

    /**
     * Checks {@code sum_k seed[n, k] y[n, k] = sum x[n] dY/dx[n] + sum_layers sum biasTerms[n]} per image (FullGrad's
     * completeness for a piecewise-linear network), and that the bias terms matter.
     */
    private static InputGradients assertComplete(LoadedModel model, Tensor input, Tensor seed) {
        InputGradients g = model.inputBackward().orElseThrow().backward(input, seed);
        try (ForwardPass pass = model.forward(input, List.of())) {
            assertArrayEquals(pass.output().toArray(), g.output().toArray(), 1e-5f, "backward's output is forward's");
        }
        int images = input.dim(0);
        double[] score = perImage(g.output(), seed.toArray(), images);
        double[] inputPart = perImage(input, g.input().toArray(), images);
        double[] biasPart = new double[images];
        for (Tensor term : g.biasTerms().values()) {
            double[] sums = perImage(term, null, images);
            for (int n = 0; n < images; n++) {
                biasPart[n] += sums[n];
            }
        }
        for (int n = 0; n < images; n++) {
            assertEquals(score[n], inputPart[n] + biasPart[n], 1e-4 * Math.abs(score[n]), "image " + n);
            assertTrue(Math.abs(biasPart[n]) > 1e-2 * Math.abs(score[n]), "bias terms must matter: " + biasPart[n]);
        }
        return g;
    }

    /** @return per image, {@code sum a * b} (or {@code sum a} when {@code b} is null) */
    private static double[] perImage(Tensor a, float[] b, int images) {
        float[] values = a.toArray();
        int size = values.length / images;
        double[] sums = new double[images];
        for (int i = 0; i < values.length; i++) {
            sums[i / size] += (double) values[i] * (b == null ? 1 : b[i]);
        }
        return sums;
    }
}
