package org.camkit.spi;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded model's role for the model-randomisation sanity check (Adebayo et al., 2018, "Sanity checks for saliency
 * maps"): copies of the model whose weights in chosen layers are drawn at random. A faithful explanation method's
 * maps change as the layers are re-initialised from the top down; an edge detector's would not.
 *
 * @since 1.2
 */
@ConsumerType
public interface Randomisation {

    /** @return the layers that hold weights, in network order (input side first) */
    List<String> layers();

    /**
     * Loads a fresh copy of the model and re-draws the weights and biases of the given layers: each parameter from a
     * normal distribution with mean 0 and the standard deviation of its trained values, from a generator seeded with
     * {@code seed}. Normalisation statistics (batch norm) are kept. The model this role belongs to is unchanged.
     *
     * @param layers names from {@link #layers()}
     * @param seed   the generator's seed
     * @return the copy; the caller closes it
     * @throws org.camkit.api.CamException if a layer is not among {@link #layers()}
     */
    LoadedModel randomised(List<String> layers, long seed);
}
