package org.camkit.spi;

import java.util.List;
import java.util.Random;
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
     * Loads a fresh copy of the model and re-draws the weights and biases of the given layers, each parameter with
     * {@link #redrawn} from a generator seeded with {@code seed}. Normalisation statistics (batch norm) are kept. The
     * model this role belongs to is unchanged.
     *
     * @param layers names from {@link #layers()}
     * @param seed   the generator's seed
     * @return the copy; the caller closes it
     * @throws org.camkit.api.CamException if a layer is not among {@link #layers()}
     */
    LoadedModel randomised(List<String> layers, long seed);

    /**
     * The draw every backend makes for one parameter, so that the check means the same on every engine.
     *
     * @param trained the parameter's trained values
     * @param random  the generator
     * @return as many values drawn from N(0, σ²), σ the population standard deviation of {@code trained} (all 0
     *         for a constant parameter, such as a zero bias)
     */
    static float[] redrawn(float[] trained, Random random) {
        double mean = 0;
        for (float v : trained) {
            mean += v;
        }
        mean /= trained.length;
        double ss = 0;
        for (float v : trained) {
            ss += (v - mean) * (v - mean);
        }
        double sigma = Math.sqrt(ss / trained.length);
        float[] out = new float[trained.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextGaussian() * sigma);
        }
        return out;
    }
}
