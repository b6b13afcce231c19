package org.camkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceNetTest {

    static List<ReferenceNet> nets() {
        return ReferenceNet.standard();
    }

    /** Asserts {@code gradient = d score / d point} by central differences of step 1e-3. */
    private static void assertFiniteDifferences(Tensor point, Tensor gradient, ToDoubleFunction<Tensor> score,
            String what) {
        for (int e = 0; e < point.size(); e++) {
            float[] plus = point.toArray();
            float[] minus = point.toArray();
            plus[e] += 1e-3f;
            minus[e] -= 1e-3f;
            double fd = (score.applyAsDouble(Tensor.of(plus, point.shape()))
                    - score.applyAsDouble(Tensor.of(minus, point.shape()))) / 2e-3;
            assertEquals(fd, gradient.get(e), 1e-3 * (1 + Math.abs(fd)), what + " value " + e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void inputGradientsAreFiniteDifferencesOfTheScore(ReferenceNet net) {
        Tensor input = net.input(1, 3);
        Tensor seed = ReferenceNet.gaussian(4, 1, net.classes());
        assertFiniteDifferences(input, net.inputGradients(input, seed), x -> dot(seed, net.output(x)),
                net + " input");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void layerGradientsAreFiniteDifferencesOfTheOutputFromTheLayer(ReferenceNet net) {
        Tensor input = net.input(1, 5);
        Tensor seed = ReferenceNet.gaussian(6, 1, net.classes());
        for (ReferenceNet.Layer layer : net.layers()) {
            assertFiniteDifferences(net.activations(input, layer.name()), net.gradients(input, seed, layer.name()),
                    a -> dot(seed, net.outputFrom(layer.name(), a)), net + " " + layer.name());
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.get(i) * b.get(i);
        }
        return sum;
    }

    /** FullGrad's completeness for piecewise-linear nets: {@code seed . y = x . dy/dx + sum of the bias terms}. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void biasTermsAndInputGradientsAddUpToTheScore(ReferenceNet net) {
        Tensor input = net.input(2, 7);
        Tensor seed = ReferenceNet.gaussian(8, 2, net.classes());
        Tensor gradient = net.inputGradients(input, seed);
        Map<String, Tensor> terms = net.biasTerms(input, seed);
        for (int n = 0; n < 2; n++) {
            double total = dot(input.rows(n, n + 1), gradient.rows(n, n + 1));
            for (Tensor t : terms.values()) {
                Tensor row = t.rows(n, n + 1);
                for (int i = 0; i < row.size(); i++) {
                    total += row.get(i);
                }
            }
            double score = dot(seed.rows(n, n + 1), net.output(input).rows(n, n + 1));
            assertEquals(score, total, 1e-4 * (1 + Math.abs(score)), net + " image " + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void outputFromALayerOnItsActivationsIsTheOutput(ReferenceNet net) {
        Tensor input = net.input(2, 9);
        for (ReferenceNet.Layer layer : net.layers()) {
            assertArrayEquals(net.output(input).toArray(),
                    net.outputFrom(layer.name(), net.activations(input, layer.name())).toArray(), 1e-6f);
        }
    }

    @Test
    void guidedGradientsDifferFromPlainOnesOnTheConvFcNetForTheSuitesInputs() {
        // BackendConformance's guided case could not tell the two apart otherwise
        ReferenceNet net = ReferenceNet.convFc();
        Tensor input = net.input(2, 7);
        Tensor seed = ReferenceNet.gaussian(8, 2, net.classes());
        float[] guided = net.guidedGradients(input, seed).toArray();
        float[] plain = net.inputGradients(input, seed).toArray();
        double differs = 0;
        for (int i = 0; i < guided.length; i++) {
            differs = Math.max(differs, Math.abs(guided[i] - plain[i]));
        }
        assertTrue(differs > 1e-2, "guided and plain gradients differ by only " + differs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void everyLayerIsActiveSomewhereOnTheSuitesInputs(ReferenceNet net) {
        Tensor input = net.input(2, 7);
        for (ReferenceNet.Layer layer : net.layers()) {
            float[] a = net.activations(input, layer.name()).toArray();
            double max = 0;
            for (float v : a) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 1e-3, net + ": layer " + layer.name() + " is all zeros");
        }
    }

    @Test
    void theCaptumNetGivesCaptumsConvolutionOnItsFirstImage() {
        // 3x3 window sums of 0..15 are 45, 54, 81, 90; biases -50 and -75
        ReferenceNet net = ReferenceNet.captumOneConv();
        assertArrayEquals(new float[] {-5, 4, 31, 40, -30, -21, 6, 15},
                net.activations(net.input(1, 1), "conv1").toArray(), 1e-5f);
    }

    @Test
    void onlyTheGapLinearNetHasAHeadEnteredByRelu1() {
        assertEquals("relu1", ReferenceNet.gapLinear().linearHead().orElseThrow().layer());
        assertEquals("relu1", ReferenceNet.gapLinear().camLayer());
        assertTrue(ReferenceNet.convFc().linearHead().isEmpty());
        assertEquals(List.of("conv1", "relu1"), ReferenceNet.convFc().spatialLayers());
    }

    @Test
    void aLayerThatDoesNotFitItsInputIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReferenceNet("bad", 4,
                4, List.of(new ReferenceNet.Relu("relu"), new ReferenceNet.Linear("fc", 5, 2,
                        Tensor.of(new float[10], 2, 5), Tensor.of(new float[2], 2)))));
        assertTrue(e.getMessage().contains("fc") && e.getMessage().contains("[3, 4, 4]"), e.getMessage());
    }

    @Test
    void anUnknownLayerIsRefusedListingTheLayers() {
        ReferenceNet net = ReferenceNet.gapLinear();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.activations(net.input(1, 1), "relu9"));
        assertTrue(e.getMessage().contains("[conv1, relu1, gap, fc]"), e.getMessage());
    }
}
