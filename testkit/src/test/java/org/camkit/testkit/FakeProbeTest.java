package org.camkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.InputGradients;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class FakeProbeTest {

    @Test
    void anAnswerNotGivenFailsNamingTheBuilderMethod() {
        FakeProbe probe = FakeProbe.builder().build();
        AssertionError e = assertThrows(AssertionError.class, () -> probe.guidedGradients());
        assertTrue(e.getMessage().contains("FakeProbe.Builder.guidedGradients"), e.getMessage());
    }

    @Test
    void scoresRowsWithTheGivenScorersAndRecordsWhatWasAsked() {
        FakeProbe probe = FakeProbe.builder().scoreInputs(FakeProbe.linear(new float[] {1, 2}, 0.5))
                .scoreFromLayer(FakeProbe.gapLinear(new float[] {2, -1}, 0, 2)).build();
        assertArrayEquals(new float[] {5.5f, 11.5f},
                probe.scoreInputs(0, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)), 1e-6f);
        // channel means 1.5 and 3.5: 2 * 1.5 - 3.5
        assertArrayEquals(new float[] {-0.5f}, probe.scoreFromLayer(0, "layer",
                Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 1, 2)), 1e-6f);
        assertEquals(List.of(2, 1), probe.batchSizes());
        assertEquals(1, probe.layerRows().size());
        assertArrayEquals(new float[] {1, 2, 3, 4}, probe.layerRows().get(0));
    }

    @Test
    void refusesWhatTheMethodDidNotDeclareAndHidesUndeclaredBiasTerms() {
        ReferenceNet net = ReferenceNet.gapLinear();
        Tensor input = net.input(1, 1);
        Tensor seed = ReferenceNet.gaussian(2, 1, net.classes());
        FakeProbe probe = FakeProbe.reference(net, input, seed).declared(Set.of(Capability.INPUT_GRADIENTS)).build();
        AssertionError e = assertThrows(AssertionError.class,
                () -> probe.scoreFromLayer(0, "relu1", net.activations(input, "relu1")));
        assertTrue(e.getMessage().contains("FORWARD_FROM_LAYER"), e.getMessage());
        assertThrows(AssertionError.class, probe::guidedGradients);
        InputGradients g = probe.inputGradients();
        assertTrue(g.biasTerms().isEmpty());
        assertArrayEquals(net.inputGradients(input, seed).toArray(), g.input().toArray());
    }

    @Test
    void aReferenceProbeScoresWithTheLinearTargetOnTheNet() {
        ReferenceNet net = ReferenceNet.gapLinear();
        Tensor input = net.input(2, 1);
        Tensor seed = ReferenceNet.gaussian(2, 2, net.classes());
        FakeProbe probe = FakeProbe.reference(net, input, seed).build();
        Tensor output = net.output(input);
        for (int n = 0; n < 2; n++) {
            double expected = 0;
            for (int k = 0; k < net.classes(); k++) {
                expected += seed.get(n * net.classes() + k) * output.get(n * net.classes() + k);
            }
            assertEquals(expected, probe.scoreInputs(n, input.rows(n, n + 1))[0], 1e-5);
            assertEquals(expected, probe.scoreFromLayer(n, "relu1",
                    net.activations(input, "relu1").rows(n, n + 1))[0], 1e-5);
        }
        assertEquals(net.linearHead().orElseThrow().layer(), probe.linearHead().orElseThrow().layer());
        assertEquals(8, probe.model().inputWidth());
    }

    @Test
    void theRequestIsCancelledAtTheGivenProgressReport() {
        FakeProbe probe = FakeProbe.builder().cancelAfter(2).build();
        probe.progress(1, 3);
        assertThrows(CamException.class, () -> probe.progress(2, 3));
        assertEquals(2, probe.progress().size());
    }
}
