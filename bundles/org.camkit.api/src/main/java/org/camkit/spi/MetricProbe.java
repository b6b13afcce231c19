package org.camkit.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A metric's access to the model: perturbed inputs scored with the request's target (fixed on the unperturbed
 * image's output, as a method's perturbed passes are), the raw outputs, and the request's method run again on other
 * inputs. Provided by the core for one batch; used from the thread that calls {@link CamMetric#score}. The calls
 * read the tensors they are given during the call and keep no reference to them.
 *
 * @since 1.2
 */
@ProviderType
public interface MetricProbe {

    /** @return the model's descriptor (input size, labels) */
    ModelDescriptor model();

    /**
     * @return the largest batch one call takes for this model (the runtime's {@code camkit.limits.batchPixels}); a
     *         metric splits its inputs into batches of at most this many
     */
    int maxBatch();

    /**
     * @param image  the image index in the batch
     * @param inputs perturbed copies of that image {@code [B, 3, H, W]}, in the model's normalised space
     * @return the request's target score per row {@code [B]}
     */
    float[] scoreInputs(int image, Tensor inputs);

    /**
     * @param inputs any inputs {@code [B, 3, H, W]}, in the model's normalised space
     * @return the model's outputs {@code [B, ...]} (logits for a classifier)
     */
    Tensor outputs(Tensor inputs);

    /**
     * Runs the request's method, layers, options and target (fixed on image {@code image}'s unperturbed output) on
     * other inputs, e.g. the input multiplied by its map (ARCC's coherency).
     *
     * @param image  the image index in the batch
     * @param inputs {@code [B, 3, H, W]}, in the model's normalised space
     * @return the maps {@code [B, H, W]} at input size, in [0, 1]
     */
    Tensor explain(int image, Tensor inputs);

    /**
     * Reports progress and checks for cancellation; call once per batch of passes.
     *
     * @param done  units done so far
     * @param total units in all
     * @throws org.camkit.api.CamException if the evaluation was cancelled (the calling thread was interrupted)
     */
    void progress(int done, int total);
}
