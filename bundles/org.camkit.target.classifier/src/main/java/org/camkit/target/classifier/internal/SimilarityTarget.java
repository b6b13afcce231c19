package org.camkit.target.classifier.internal;

import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code similarity:<concept.npy>}: the cosine similarity of the output vector (an embedding, or logits) to a concept
 * vector, like the {@code SimilarityToConceptTarget} of pytorch-grad-cam's tutorial "Pixel Attribution for
 * embeddings": {@code s = y.c / (|y| |c|)}, seed {@code c / (|y| |c|) - s y / |y|^2}. It explains what in the image
 * makes its output point the concept's way. The argument is a path to a local file, read with the process's
 * permissions: a service that takes target specs from remote callers must not pass this argument through.
 */
@Component
@CamTarget("similarity")
public final class SimilarityTarget implements TargetResolver {

    @Override
    public TargetScore resolve(TargetRequest request) {
        ConceptVector concept = ConceptVector.read("similarity", request);
        ConceptVector.Cosine cosine = concept.cosine(request.output());
        float[] seed = new float[cosine.gradient().length];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (float) cosine.gradient()[i];
        }
        return new TargetScore("cosine similarity to concept " + concept.name(), -1, (float) cosine.similarity(),
                seed);
    }

    @Override
    public String description() {
        return "similarity:<concept.npy>: cosine similarity of the output vector to a concept vector (a local float32"
                + " .npy file as long as the output), as pytorch-grad-cam's SimilarityToConceptTarget";
    }
}
