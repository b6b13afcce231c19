package org.camkit.target.classifier.internal;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code difference:<concept.npy>}: one minus the cosine similarity of the output vector to a concept vector, like the
 * {@code DifferenceFromConceptTarget} of pytorch-grad-cam's tutorial "Pixel Attribution for embeddings"; its seed is
 * the negated seed of {@link SimilarityTarget}. It explains what in the image turns its output away from the concept.
 * The argument is a path to a local file, as for {@code similarity}.
 */
@Component
@CamTarget("difference")
public final class DifferenceTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        ConceptVector concept = ConceptVector.read("difference", request);
        ConceptVector.Cosine cosine = concept.cosine(request.output());
        float[] seed = new float[cosine.gradient().length];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (float) -cosine.gradient()[i];
        }
        return new TargetScore("1 - cosine similarity to concept " + concept.name(), -1,
                (float) (1 - cosine.similarity()), seed);
    }

    @Override
    public String description() {
        return "difference:<concept.npy>: 1 - cosine similarity of the output vector to a concept vector (a local"
                + " float32 .npy file as long as the output), as pytorch-grad-cam's DifferenceFromConceptTarget";
    }
}
