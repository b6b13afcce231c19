package org.camkit.spi;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A method's access to the model and the request's targets beyond one layer's activations and gradients.
 * Provided by the core for one request; used from the thread that calls {@link CamMethod#compute}.
 * A call needing a capability fails with a clear error when the method did not declare it in
 * {@link CamMethod#requires()}; what a method declares, the core has checked the model provides.
 * The scoring calls read the tensors they are given during the call and keep no reference to them: a method may
 * rewrite an array it passed (e.g. the next batch of perturbed copies) once the call has returned.
 *
 * @since 0.2
 */
@ProviderType
public interface ModelProbe {

    /** @return the model's descriptor (input size, labels) */
    ModelDescriptor model();

    /** @return the preprocessed input batch {@code [N, 3, H, W]} */
    Tensor input();

    /**
     * @param image the image index in the batch
     * @return the gradient seed of that image's target on the model output, d(score)/d(output) {@code [K]}
     */
    float[] seed(int image);

    /**
     * Runs the model on perturbed copies of one image and scores them with that image's target (the target stays
     * the one resolved on the unperturbed image, e.g. the class first predicted).
     *
     * @param image  the image index in the batch
     * @param inputs {@code [B, 3, H, W]}
     * @return the target score per row {@code [B]}
     */
    float[] scoreInputs(int image, Tensor inputs);

    /**
     * Runs the network from a layer on given activations and scores the outputs with one image's target.
     * Needs {@link Capability#FORWARD_FROM_LAYER}.
     *
     * @param image       the image index in the batch
     * @param layer       the layer whose activations are given
     * @param activations {@code [B, C, h, w]}
     * @return the target score per row {@code [B]}
     */
    float[] scoreFromLayer(int image, String layer, Tensor activations);

    /**
     * Runs the model on perturbed copies of one image and back-propagates that image's target (fixed on the
     * unperturbed image, its seed taken at each copy's own output) to a layer: SmoothGrad-style methods.
     * Needs {@link Capability#ACTIVATIONS} and {@link Capability#GRADIENTS}.
     *
     * @param image  the image index in the batch
     * @param layer  a target layer of the request
     * @param inputs {@code [B, 3, H, W]}
     * @return the layer's activations and target gradients per copy, and the target scores
     * @since 1.3
     */
    LayerGradients layerGradients(int image, String layer, Tensor inputs);

    /**
     * Runs the network from a layer on given activations and back-propagates one image's target (fixed on the
     * unperturbed image, its seed taken at each row's own output) to them: ShapleyCAM's head gradients at shifted
     * activations. Needs {@link Capability#BACKWARD_FROM_LAYER}.
     *
     * @param image       the image index in the batch
     * @param layer       the layer whose activations are given
     * @param activations {@code [B, C, h, w]}
     * @return the given activations, the target gradients at them, and the target scores
     * @since 1.3
     */
    LayerGradients gradientsFromLayer(int image, String layer, Tensor activations);

    /**
     * Gradients of the batch's target scores with respect to the input, and, when the method requires
     * {@link Capability#BIAS_GRADIENTS}, the bias terms. Computed once per request. Needs
     * {@link Capability#INPUT_GRADIENTS} or {@link Capability#BIAS_GRADIENTS}.
     *
     * @return the gradients
     */
    InputGradients inputGradients();

    /**
     * Input gradients of the batch's target scores with guided-backpropagation ReLUs. Computed once per request.
     * Needs {@link Capability#GUIDED_BACKPROP}.
     *
     * @return {@code [N, 3, H, W]}
     */
    Tensor guidedGradients();

    /**
     * @return the model's global-average-pool + linear head ({@link Capability#LINEAR_HEAD}), or empty when it has
     *         none; a method that cannot work without it requires the capability
     * @since 1.0
     */
    Optional<LinearHead> linearHead();

    /**
     * Reports progress of a long computation and checks for cancellation. Call once per batch (per iteration
     * for iterative methods), so that a shell can show "batches done / total" and an estimate.
     *
     * @param done  batches (or iterations) done so far
     * @param total batches (or iterations) in all
     * @throws org.camkit.api.CamException if the request was cancelled (the calling thread was interrupted)
     */
    void progress(int done, int total);
}
