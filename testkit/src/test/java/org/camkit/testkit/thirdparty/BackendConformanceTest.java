package org.camkit.testkit.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.TestExecutionResult.Status.ABORTED;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;
import org.camkit.testkit.BackendConformance;
import org.camkit.testkit.ReferenceNet;
import org.junit.jupiter.api.Test;

/** The backend suite, run as a third party runs it (one subclass, from another package), on good and bad models. */
class BackendConformanceTest {

    static class Faithful extends BackendConformance {
        @Override
        protected LoadedModel load(ReferenceNet net) {
            return ReferenceModel.faithful(net);
        }

        @Override
        protected Optional<Set<Capability>> expectedCapabilities(ReferenceNet net) {
            Set<Capability> all = EnumSet.allOf(Capability.class);
            if (net.linearHead().isEmpty()) {
                all.remove(Capability.LINEAR_HEAD);
            }
            return Optional.of(all);
        }
    }

    static class WithoutGuidedBackprop extends BackendConformance {
        @Override
        protected LoadedModel load(ReferenceNet net) {
            return new ReferenceModel(net, t -> t, t -> t, false);
        }
    }

    static class GradientsOnePercentOff extends BackendConformance {
        @Override
        protected LoadedModel load(ReferenceNet net) {
            return new ReferenceModel(net, t -> scaled(t, 1.01f), t -> t, true);
        }
    }

    /** The output of every image but the first is shifted when the batch has more than one image. */
    static class BatchDependent extends BackendConformance {
        @Override
        protected LoadedModel load(ReferenceNet net) {
            return new ReferenceModel(net, t -> t, t -> {
                float[] data = t.toArray();
                for (int i = data.length / t.dim(0); i < data.length; i++) {
                    data[i] += 0.5f;
                }
                return Tensor.of(data, t.shape());
            }, true);
        }
    }

    static Tensor scaled(Tensor t, float factor) {
        float[] data = t.toArray();
        for (int i = 0; i < data.length; i++) {
            data[i] *= factor;
        }
        return Tensor.of(data, t.shape());
    }

    @Test
    void aFaithfulBackendPassesEveryCaseOnEveryNet() {
        SuiteRun run = SuiteRun.of(Faithful.class);
        assertEquals(List.of(), run.with(FAILED));
        assertEquals(List.of(), run.with(ABORTED));
        assertEquals(13 * ReferenceNet.standard().size() + 2, run.with(SUCCESSFUL).size(), run.toString());
    }

    @Test
    void anAbsentRoleIsReportedAsNotRunWithTheReasonAndUndeclaredCapabilitiesToo() {
        SuiteRun run = SuiteRun.of(WithoutGuidedBackprop.class);
        assertEquals(List.of(), run.with(FAILED));
        assertEquals(List.of("guidedGradientsAreTheReferenceGuidedGradients", "providesTheDeclaredCapabilities"),
                run.methods(ABORTED));
        run.with(ABORTED).forEach(o -> assertTrue(o.message().contains(o.method().startsWith("guided")
                ? "does not provide GUIDED_BACKPROP" : "declares no expectedCapabilities"), o.message()));
    }

    @Test
    void gradientsOnePercentOffFailTheGradientCases() {
        SuiteRun run = SuiteRun.of(GradientsOnePercentOff.class);
        assertEquals(List.of("backwardFromALayerGivesTheReferenceGradientsAtGivenActivations",
                "camIsGradCamTimesTheAreaForAClassTarget", "gradientsAtEveryListedLayerAreTheReferenceGradients",
                "gradientsEnteringTheAveragePoolAreTheHeadsRowOverTheArea"), run.methods(FAILED));
    }

    @Test
    void anOutputThatDependsOnTheBatchFailsTheBatchCase() {
        SuiteRun run = SuiteRun.of(BatchDependent.class);
        assertTrue(run.methods(FAILED).contains("aBatchOfTwoGivesWhatEachImageGivesAlone"), run.toString());
    }
}
