package org.camkit.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Explains model predictions with class activation maps. The one service an application needs; thread-safe.
 *
 * @since 0.1
 */
@ProviderType
public interface Explainer {

    /**
     * Runs the request's model on its images and computes the method's map for the target at the layers.
     *
     * @param request what to explain
     * @return the explanation, never null
     * @throws CamException for bad input or an unknown name; the message names the culprit and lists the valid
     *                      choices
     */
    Explanation explain(ExplainRequest request);

    /**
     * Explains a batch of images of which some may be bad, as a dataset run does: the request's images as one batch;
     * when camkit refuses the batch for its input ({@link CamException.Kind#INVALID} naming no culprit, or one of the
     * images' labels: an image it cannot read, or one it cannot explain), each image alone, so that only the images
     * at fault fail.
     *
     * @param request what to explain
     * @return one outcome per image of the request, in order
     * @throws CamException when the request cannot work for any image (an unknown model, method, layer or target, a
     *                      method the model cannot serve, a plugin being updated, an INVALID that names a value of the
     *                      request as its culprit, such as an unknown or malformed option), or when it was cancelled:
     *                      nothing is explained then
     * @since 0.8
     */
    default List<ImageOutcome> explainEach(ExplainRequest request) {
        try {
            Explanation batch = explain(request);
            return IntStream.range(0, request.images().size())
                    .mapToObj(i -> new ImageOutcome(batch, i, null)).toList();
        } catch (CamException e) {
            boolean images = e.culprit() == null
                    || request.images().stream().anyMatch(i -> i.label().equals(e.culprit()));
            if (e.kind() != CamException.Kind.INVALID || !images || Thread.currentThread().isInterrupted()) {
                throw e;
            }
            if (request.images().size() == 1) {
                return List.of(new ImageOutcome(null, 0, e));
            }
        }
        List<ImageOutcome> outcomes = new ArrayList<>(request.images().size());
        for (ImageInput image : request.images()) {
            outcomes.addAll(explainEach(request.withImages(List.of(image))));
        }
        return outcomes;
    }

    /**
     * Renders one image of an explanation.
     *
     * @param explanation a result of {@link #explain}
     * @param image       the index of the image in the explanation
     * @param visualizer  a visualizer's name, e.g. {@code overlay}; null or empty picks the result's natural
     *                    picture: {@code gradient} for a gradient image, {@code concepts} for concepts, else
     *                    {@code overlay}
     * @param options     visualizer options, e.g. {@code image-weight=0.5}
     * @return the picture
     * @throws CamException if the visualizer is unknown or an option is malformed
     */
    RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options);

    /**
     * Explains one request with several methods and lays the results out as one picture: the original image, then
     * each method's picture titled with its name, the target and its run time. A method that cannot run on the
     * model gets a tile saying why; the others still run.
     *
     * @param request what to explain; its first image is used, its method is ignored
     * @param methods the methods, in order; empty means every registered method
     * @return the explanations and the grid
     * @throws CamException if the model, target or image is bad, or no method could run
     * @since 0.2
     */
    default Comparison compare(ExplainRequest request, List<String> methods) {
        return compare(request, methods, 0);
    }

    /**
     * As {@link #compare(ExplainRequest, List)}, with a set number of grid columns.
     *
     * @param request what to explain; its first image is used, its method is ignored
     * @param methods the methods, in order; empty means every registered method
     * @param columns the grid's columns; 0 or less picks them (one row up to 7 pictures)
     * @return the explanations and the grid
     * @throws CamException if the model, target or image is bad, or no method could run
     * @since 0.2
     */
    Comparison compare(ExplainRequest request, List<String> methods, int columns);

    /**
     * Runs a detector ({@code "task": "detection"} in its descriptor) on the request's images: its model, images and
     * {@link ExplainRequest#originalSize()} count; method, layers and target are not used.
     *
     * @param request the model and images
     * @return per image, its detections (above the descriptor's score threshold, after suppression), best first,
     *         with boxes in the pixels of the image as an explanation shows it (the model's input size, or the
     *         image's own with {@code originalSize}); an empty list for an image without any
     * @throws CamException if the model is unknown or not a detector, an image cannot be read, or the output does
     *                      not fit the descriptor's detection layout
     * @since 0.6
     */
    List<List<Detection>> detect(ExplainRequest request);

    /**
     * Runs the request's model on its images and reports what it predicts, without explaining: its model, images and
     * {@link ExplainRequest#originalSize()} count; method, layers and target are not used.
     *
     * @param request the model and images
     * @return one prediction per image, in request order
     * @throws CamException if the model is unknown or an image cannot be read
     * @since 0.7
     */
    List<Prediction> predict(ExplainRequest request);

    /**
     * @param kind a plugin role
     * @return the plugins of that role now registered, sorted by name
     */
    List<PluginInfo> plugins(PluginInfo.Kind kind);

    /** @return the models now registered, sorted by name */
    List<ModelInfo> models();

    /**
     * @param model a registered model name, a descriptor path, or a model file with its descriptor beside it
     * @return what camkit knows of the model (without loading it)
     * @throws CamException if the model is unknown, naming the registered ones
     * @since 0.2
     */
    default ModelInfo model(String model) {
        return models().stream().filter(m -> m.name().equals(model)).findFirst()
                .orElseThrow(() -> new CamException("unknown model '" + model + "'; registered models: "
                        + models().stream().map(ModelInfo::name).toList()));
    }

    /**
     * @param model a registered model name or descriptor path
     * @return the layers a CAM can target, in network order (loads the model if needed)
     * @throws CamException if the model is unknown or cannot be loaded
     */
    List<String> layers(String model);

    /**
     * @param model a registered model name or descriptor path
     * @return what the loaded model provides to CAM methods (capability names such as {@code GRADIENTS},
     *         {@code LINEAR_HEAD}), sorted; a method needing more is refused before any inference (loads the model if
     *         needed)
     * @throws CamException if the model is unknown or cannot be loaded
     * @since 0.3
     */
    List<String> capabilities(String model);
}
