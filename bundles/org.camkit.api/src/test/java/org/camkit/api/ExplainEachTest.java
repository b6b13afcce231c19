package org.camkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Explainer.explainEach, the rule of the batch hosts (cam:explain --images, Spark): one request per batch, image by
// image after camkit refused the batch for its input, and a request no image could pass is thrown, not recorded.
class ExplainEachTest {

    // an Explainer that refuses any request holding an image named "bad" (or "unknown": an unknown model), and
    // counts the requests; explainEach is the interface's own
    private static Explainer refusingBad(List<Integer> requestSizes) {
        return (Explainer) Proxy.newProxyInstance(Explainer.class.getClassLoader(), new Class<?>[] {Explainer.class},
                (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
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
                        if (image.label().equals("named")) { // an image at fault, naming itself
                            throw new CamException(CamException.Kind.INVALID, "named: cannot be explained", "named",
                                    List.of());
                        }
                        if (image.label().equals("typo")) { // a request value at fault: its option
                            throw new CamException(CamException.Kind.INVALID, "method 'scorecam' has no option "
                                    + "[batchsize]", "batchsize", List.of("batch-size"));
                        }
                        if (image.label().equals("unknown")) {
                            throw new CamException(CamException.Kind.UNKNOWN, "unknown model 'm'", "m", List.of());
                        }
                        images.add(new ImageExplanation(image.label(), new RgbImage(1, 1, new byte[3]),
                                new float[1], new float[2], 0, "a", "predicted", 1f, 0, null, List.of()));
                    }
                    return new Explanation("m", "fake", "gradcam", List.of(), List.of(), images, Map.of());
                });
    }

    private static ExplainRequest request(String... names) {
        ExplainRequest.Builder builder = ExplainRequest.builder("m").method("scorecam").option("batch-size", "4");
        for (String name : names) {
            builder.image(ImageInput.of(name, new byte[] {1}));
        }
        return builder.build();
    }

    @Test
    void aGoodBatchIsOneRequest() {
        List<Integer> sizes = new ArrayList<>();

        List<ImageOutcome> outcomes = refusingBad(sizes).explainEach(request("a", "b", "c"));

        assertEquals(List.of(3), sizes);
        assertEquals(List.of(0, 1, 2), outcomes.stream().map(ImageOutcome::index).toList());
        assertEquals(List.of("a", "b", "c"), outcomes.stream().map(o -> o.image().source()).toList());
        assertSame(outcomes.get(0).explanation(), outcomes.get(2).explanation(), "one explanation of the batch");
    }

    @Test
    void aRefusedBatchIsRetriedImageByImageSoOnlyTheBadImageFails() {
        List<Integer> sizes = new ArrayList<>();

        List<ImageOutcome> outcomes = refusingBad(sizes).explainEach(request("a", "bad", "c"));

        assertEquals(List.of(3, 1, 1, 1), sizes);
        assertEquals("a", outcomes.get(0).image().source());
        assertEquals("bad: not an image", outcomes.get(1).failure().getMessage());
        assertNull(outcomes.get(1).image());
        assertEquals("c", outcomes.get(2).image().source());
        assertEquals(0, outcomes.get(2).index());
    }

    @Test
    void eachImageAloneKeepsEverythingElseOfTheRequest() {
        ExplainRequest request = request("a", "b");
        ExplainRequest single = request.withImages(List.of(request.images().get(1)));
        assertEquals(List.of(request.images().get(1)), single.images());
        assertEquals(request, new ExplainRequest(single.model(), request.images(), single.method(), single.layers(),
                single.target(), single.options(), single.augSmooth(), single.eigenSmooth(), single.progress(),
                single.originalSize(), single.aggregation()));
    }

    @Test
    void aRequestNoImageCouldPassIsThrownInsteadOfFillingEveryImageWithTheSameError() {
        List<Integer> sizes = new ArrayList<>();

        CamException e = assertThrows(CamException.class,
                () -> refusingBad(sizes).explainEach(request("a", "unknown")));

        assertEquals("unknown model 'm'", e.getMessage());
        assertEquals(List.of(2), sizes, "not retried image by image");
    }

    @Test
    void anInvalidRequestValueNamedAsCulpritIsThrownNotRetriedImageByImage() {
        List<Integer> sizes = new ArrayList<>();

        CamException e = assertThrows(CamException.class,
                () -> refusingBad(sizes).explainEach(request("a", "typo", "c")));

        assertEquals("batchsize", e.culprit());
        assertEquals(List.of(3), sizes, "not retried image by image");
    }

    @Test
    void anImageNamedAsCulpritIsRetriedImageByImage() {
        List<Integer> sizes = new ArrayList<>();

        List<ImageOutcome> outcomes = refusingBad(sizes).explainEach(request("a", "named"));

        assertEquals(List.of(2, 1, 1), sizes);
        assertEquals("a", outcomes.get(0).image().source());
        assertEquals("named: cannot be explained", outcomes.get(1).failure().getMessage());
    }

    @Test
    void anInterruptedThreadGetsTheFailureAndNothingIsRetried() {
        List<Integer> sizes = new ArrayList<>();
        Thread.currentThread().interrupt();
        try {
            CamException e = assertThrows(CamException.class,
                    () -> refusingBad(sizes).explainEach(request("bad", "a")));
            assertEquals("bad: not an image", e.getMessage());
            assertEquals(List.of(2), sizes, "not retried image by image");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anOutcomeHoldsAnExplanationOrAFailure() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageOutcome(null, 0, null)).getMessage()
                .contains("neither"));
        Explanation one = new Explanation("m", "fake", "gradcam", List.of(), List.of(), List.of(), Map.of());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageOutcome(one, 0, new CamException("x")))
                .getMessage().contains("both"));
    }
}
