package org.camkit.api;

/**
 * One image of a request explained with {@link Explainer#explainEach}: its explanation, or why camkit could not
 * explain it.
 *
 * @param explanation the explanation holding the image (of its batch, or of the image alone), or null when it failed
 * @param index       the image's index in {@code explanation}
 * @param failure     why camkit could not explain the image, or null
 * @since 0.8
 */
public record ImageOutcome(Explanation explanation, int index, CamException failure) {

    /** Checks that exactly one of explanation and failure is given. */
    public ImageOutcome {
        if ((explanation == null) == (failure == null)) {
            throw new IllegalArgumentException("an outcome holds an explanation or a failure, not " + (failure == null
                    ? "neither" : "both"));
        }
    }

    /** @return the image's explanation, or null when it failed */
    public ImageExplanation image() {
        return explanation == null ? null : explanation.images().get(index);
    }
}
