package org.camkit.testkit.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.TestExecutionResult.Status.ABORTED;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Cams;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.MethodConformance;
import org.junit.jupiter.api.Test;

/** The method suite, run as a third party runs it (one subclass, from another package), on good and bad methods. */
class MethodConformanceTest {

    /** Grad-CAM's weighting: the spatial mean of the gradients. */
    static CamMaps gradCam(LayerData data) {
        return CamMaps.sum(Cams.contributions(data.activations(), Cams.channelMeans(data.gradients())));
    }

    static class GradCamLike extends MethodConformance {
        @Override
        protected CamMethod method() {
            return MethodConformanceTest::gradCam;
        }
    }

    /** Adds 0.1 to Grad-CAM's weights: the map then changes with the target's scale. */
    static class OffsetWeights extends MethodConformance {
        @Override
        protected CamMethod method() {
            return data -> {
                float[][] w = Cams.channelMeans(data.gradients());
                for (float[] row : w) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] += 0.1f;
                    }
                }
                return CamMaps.sum(Cams.contributions(data.activations(), w));
            };
        }
    }

    static class OffsetWeightsOptedOut extends OffsetWeights {
        @Override
        protected Optional<String> scaleDependence() {
            return Optional.of("weights offset by 0.1");
        }
    }

    /** Subtracts the batch's mean activations: an image's map depends on the others. */
    static class BatchCentred extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new CamMethod() {
                @Override
                public Set<Capability> requires() {
                    return Set.of(Capability.ACTIVATIONS);
                }

                @Override
                public CamMaps compute(LayerData data) {
                    Tensor a = data.activations();
                    int n = a.dim(0);
                    int size = a.size() / n;
                    float[] out = new float[a.size()];
                    for (int i = 0; i < out.length; i++) {
                        float mean = 0;
                        for (int m = 0; m < n; m++) {
                            mean += a.get(m * size + i % size) / n;
                        }
                        out[i] = a.get(i) - mean + (i % 3);
                    }
                    return CamMaps.sum(Tensor.of(out, a.shape()));
                }
            };
        }
    }

    /** Asks for the layer's output from perturbed activations without declaring FORWARD_FROM_LAYER. */
    static class Undeclared extends MethodConformance {
        @Override
        protected CamMethod method() {
            return data -> {
                data.probe().scoreFromLayer(0, data.layer(), data.activations().rows(0, 1));
                return gradCam(data);
            };
        }
    }

    /** An option without its default. */
    static class UndocumentedOption extends GradCamLike {
        @Override
        protected CamMethod method() {
            return new CamMethod() {
                @Override
                public Map<String, String> options() {
                    return Map.of("smooth", "how much to smooth");
                }

                @Override
                public CamMaps compute(LayerData data) {
                    return gradCam(data);
                }
            };
        }
    }

    @Test
    void aConformingMethodPassesEveryCase() {
        SuiteRun run = SuiteRun.of(GradCamLike.class);
        assertEquals(5, run.with(SUCCESSFUL).size(), run.toString());
        assertEquals(5, run.outcomes().size());
    }

    @Test
    void aMapThatChangesWithTheTargetsScaleFailsTheScalingCase() {
        assertEquals(List.of("scalingTheTargetLeavesTheMapsUnchanged"), SuiteRun.of(OffsetWeights.class)
                .methods(FAILED));
    }

    @Test
    void anOptedOutCaseIsReportedAsNotRunWithItsReason() {
        SuiteRun run = SuiteRun.of(OffsetWeightsOptedOut.class);
        assertEquals(List.of(), run.with(FAILED));
        assertEquals(1, run.with(ABORTED).size());
        assertTrue(run.with(ABORTED).get(0).message().contains("weights offset by 0.1"), run.toString());
    }

    @Test
    void aMapThatDependsOnTheBatchFailsTheBatchCase() {
        assertEquals(List.of("aBatchGivesWhatEachImageGivesAlone"), SuiteRun.of(BatchCentred.class)
                .methods(FAILED));
    }

    @Test
    void usingACapabilityWithoutDeclaringItFails() {
        SuiteRun run = SuiteRun.of(Undeclared.class);
        assertTrue(run.methods(FAILED).contains("aBatchGivesWhatEachImageGivesAlone"), run.toString());
        assertTrue(run.with(FAILED).get(0).message().contains("FORWARD_FROM_LAYER"), run.toString());
    }

    @Test
    void anOptionWithoutItsDefaultFails() {
        assertEquals(List.of("everyOptionDescribesItsDefault"), SuiteRun.of(UndocumentedOption.class)
                .methods(FAILED));
    }
}
