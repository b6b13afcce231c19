package org.camkit.api;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Judges class activation maps with metric plugins: how faithful they are to the model, how well they localise
 * annotated objects. Thread-safe.
 *
 * @since 0.4
 */
@ProviderType
public interface Evaluator {

    /**
     * The task {@link #evaluate} reports to the request's {@link Progress} once per image (done, total images); the
     * explanations and metrics inside report tasks of their own.
     */
    String PROGRESS = "evaluate";

    /** The task {@link #sanity} reports once per method and step (done, total). */
    String SANITY_PROGRESS = "sanity";

    /**
     * Explains every image with every method and scores every map with every metric, image by image; with an output
     * directory, {@code metrics.csv} grows a row per score as it goes (a cancelled run keeps what it did), and
     * {@code summary.json} and the charts are written at the end. Cancel by interrupting the calling thread.
     *
     * @param request what to evaluate
     * @return the scores and their summary
     * @throws CamException for an unknown model, method or metric, a metric option it does not read, a metric that
     *                      needs ground truth without any, or (without {@code skipBad}) an image that cannot be
     *                      explained or whose annotations do not fit it; the message names the culprit
     */
    Evaluation evaluate(EvaluationRequest request);

    /**
     * Scores explanations already made (e.g. maps from elsewhere put into an {@link Explanation}).
     *
     * @param request     the request the explanation answers: its model, images, target, layers and options (the
     *                    method is the explanation's)
     * @param explanation maps for the request's images
     * @param metrics     the metrics
     * @param truth       per image its annotated objects, or empty
     * @return the scores, without files
     * @throws CamException as {@link #evaluate}
     */
    Evaluation score(ExplainRequest request, Explanation explanation, List<MetricSpec> metrics,
            List<GroundTruth> truth);

    /**
     * Runs the model-randomisation sanity check: every image explained with every method on the trained model and on
     * copies whose layers are re-initialised from the output down, one more at each step. Needs a model whose backend
     * can re-initialise its layers (the demo CNN on PyTorch and TensorFlow).
     *
     * @param request the model, images, target, layers, method options and progress; its method is ignored
     * @param methods the methods, at least one
     * @param seed    the seed of the random weights
     * @return the mean rank correlations
     * @throws CamException if the model cannot re-initialise its layers (naming the models that can), or a name is
     *                      unknown
     */
    SanityCheck sanity(ExplainRequest request, List<String> methods, long seed);

    /**
     * Reads a dataset: images from files, folders (their PNG, JPEG, BMP, GIF and TIFF files, sorted) and list files
     * ({@code .txt}, a path per line, relative to the list), with ground truth from a COCO JSON file (images matched by
     * file name) or a folder of mask PNGs with the images' base names.
     *
     * @param images      files, folders or list files
     * @param annotations a COCO JSON file, or null
     * @param masks       a folder of masks, or null
     * @return the images and their ground truth
     * @throws CamException naming the file (and, in JSON, the path to the bad value) that is missing or malformed
     */
    Dataset dataset(List<Path> images, Path annotations, Path masks);
}
