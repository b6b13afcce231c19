package org.camkit.spi;

import java.nio.file.Path;
import java.util.List;
import org.camkit.api.RgbImage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model's descriptor and its input as core reads and prepares them for {@link org.camkit.api.Explainer}, for tools
 * that run a model's engine beside the Explainer (benchmarks against an {@link EngineBaseline}): they neither parse
 * descriptors nor preprocess images themselves. Registered by core; thread-safe.
 *
 * @since 1.0
 */
@ProviderType
public interface ModelInputs {

    /**
     * @param model a registered model name, a descriptor path, or a model file with its descriptor beside it, as
     *              {@link org.camkit.api.Explainer#explain} resolves it
     * @return the model's descriptor, its {@code file} absolute
     * @throws org.camkit.api.CamException if the model is unknown (naming the registered ones) or its descriptor is
     *                                      malformed (naming the key)
     */
    ModelDescriptor descriptor(String model);

    /**
     * @param model  the model
     * @param images images of any size, at least one; each is resized (bilinear) to the model's input size
     * @return the input {@code [N, 3, H, W]} explain gives the model's backend: pixels / 255 in the model's channel
     *         order, minus mean, over std, per channel
     */
    Tensor preprocess(ModelDescriptor model, List<RgbImage> images);

    /**
     * Writes a descriptor file that {@link #descriptor} and the Explainer read back as {@code model}, e.g. a model
     * at another input size ({@link ModelDescriptor#withInputSize}). A file that already holds it is left as it is,
     * so that a model loaded from it stays cached.
     *
     * @param model the descriptor; its {@code file} is written as an absolute path
     * @param file  where to write it ({@code .json}); its folder must exist
     * @return {@code file}
     * @throws org.camkit.api.CamException if the file cannot be written, naming it
     */
    Path save(ModelDescriptor model, Path file);
}
