package org.camkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;

class ExplainPartitionTest {
    private static final ExplainPartition.Job JOB = new ExplainPartition.Job(
            new ExecutorRuntime.Settings("home", null, List.of("pytorch"), 1), "m", "gradcam", List.of(), null,
            "overlay", Set.of(CamOutput.MAP), 8, 0, 1);

    // an Explainer that refuses any request holding an image named "bad", and counts the requests
    private static Explainer refusingBad(List<Integer> requestSizes) {
        return (Explainer) Proxy.newProxyInstance(Explainer.class.getClassLoader(), new Class<?>[] {Explainer.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("explain")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    ExplainRequest request = (ExplainRequest) args[0];
                    requestSizes.add(request.images().size());
                    List<ImageExplanation> images = new ArrayList<>();
                    for (ImageInput image : request.images()) {
                        if (image.label().equals("bad")) {
                            throw new CamException("bad: not an image");
                        }
                        if (image.label().equals("unknown")) {
                            throw new CamException(CamException.Kind.UNKNOWN, "unknown model 'm'", "m", List.of());
                        }
                        images.add(new ImageExplanation(image.label(), new RgbImage(1, 1, new byte[3]),
                                new float[1], new float[2], 0, "a", "predicted", 1f, 0, null, List.of()));
                    }
                    return new Explanation("m", "fake", "gradcam", List.of(), List.of(), images, java.util.Map.of());
                });
    }

    private static ImageInput image(String name) {
        return ImageInput.of(name, new byte[] {1});
    }

    @Test
    void aGoodBatchIsOneRequest() {
        List<Integer> sizes = new ArrayList<>();

        List<ExplainPartition.Outcome> outcomes = ExplainPartition.explain(refusingBad(sizes), JOB,
                List.of(image("a"), image("b"), image("c")));

        assertEquals(List.of(3), sizes);
        assertEquals(List.of(0, 1, 2), outcomes.stream().map(ExplainPartition.Outcome::index).toList());
        assertTrue(outcomes.stream().allMatch(o -> o.error() == null));
    }

    @Test
    void aRefusedBatchIsRetriedImageByImageSoOnlyTheBadImageFails() {
        List<Integer> sizes = new ArrayList<>();

        List<ExplainPartition.Outcome> outcomes = ExplainPartition.explain(refusingBad(sizes), JOB,
                List.of(image("a"), image("bad"), image("c")));

        assertEquals(List.of(3, 1, 1, 1), sizes);
        assertNull(outcomes.get(0).error());
        assertEquals("bad: not an image", outcomes.get(1).error());
        assertNull(outcomes.get(2).error());
        assertEquals("a", outcomes.get(0).explanation().images().get(0).source());
        assertEquals("c", outcomes.get(2).explanation().images().get(0).source());
    }

    @Test
    void aRequestNoImageCouldPassFailsTheTaskInsteadOfFillingEveryRowWithTheSameError() {
        List<Integer> sizes = new ArrayList<>();

        CamException e = assertThrows(CamException.class, () -> ExplainPartition.explain(refusingBad(sizes), JOB,
                List.of(image("a"), image("unknown"))));

        assertEquals("unknown model 'm'", e.getMessage());
        assertEquals(List.of(2), sizes, "not retried image by image");
    }

    @Test
    void anInterruptedTaskRecordsNothing() {
        List<Integer> sizes = new ArrayList<>();
        Thread.currentThread().interrupt();
        try {
            CamException e = assertThrows(CamException.class, () -> ExplainPartition.explain(refusingBad(sizes), JOB,
                    List.of(image("bad"), image("a"))));
            assertEquals("bad: not an image", e.getMessage());
            assertEquals(List.of(2), sizes, "not retried image by image");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void outputsAreParsedByNameAndAnUnknownOneListsTheChoices() {
        assertEquals(Set.of(CamOutput.MAP, CamOutput.NPY), CamOutput.parse(List.of("map", " NPY")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CamOutput.parse(List.of("heatmap")));
        assertTrue(e.getMessage().contains("'heatmap'") && e.getMessage().contains("overlay"), e.getMessage());
        assertEquals(List.of("error", "target", "targetClass", "targetScore", "width", "height", "map"),
                List.of(CamOutput.struct(Set.of(CamOutput.MAP)).fieldNames()));
    }
}
