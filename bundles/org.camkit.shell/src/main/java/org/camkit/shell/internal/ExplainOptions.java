package org.camkit.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.LayerAggregation;
import org.camkit.api.Progress;

/**
 * The options of {@code cam:explain}, checked before anything runs.
 *
 * @param model         model name or descriptor path
 * @param images        the image files, in the order given
 * @param method        the CAM method
 * @param layers        the target layers; empty for the model's default
 * @param target        the target spec; empty for the predicted class
 * @param methodOptions the method's options ({@code --option name=value})
 * @param augSmooth     whether to average over flips and scalings
 * @param eigenSmooth   whether to take the first principal component
 * @param originalSize  whether to explain at each image's own size rather than the model's input size
 * @param aggregation   how several layers' maps become one; empty for the method's default
 * @param out           where to write the rendered picture(s), if anywhere
 * @param visualizer    the visualizer that renders {@code out}; empty lets the core pick the result's natural
 *                      picture (gradient image, concepts or overlay)
 * @param renderOptions options for the visualizer (only those given)
 * @param camOut        where to write the raw map(s) as .npy, if anywhere
 * @param json          where to write the result(s) as JSON, if anywhere
 */
record ExplainOptions(String model, List<Path> images, String method, List<String> layers, String target,
        Map<String, String> methodOptions, boolean augSmooth, boolean eigenSmooth, boolean originalSize,
        Optional<LayerAggregation> aggregation, Optional<Path> out,
        Optional<String> visualizer, Map<String, String> renderOptions, Optional<Path> camOut, Optional<Path> json) {

    /** Copies, and checks that the output files destroy nothing ({@link OutputFiles#check}). */
    ExplainOptions {
        images = List.copyOf(images);
        layers = List.copyOf(layers);
        methodOptions = Map.copyOf(methodOptions);
        renderOptions = Map.copyOf(renderOptions);
        int count = images.size();
        List<Path> inputs = images;
        out.ifPresent(p -> OutputFiles.check("out", p, count, ".png", "a PNG picture", inputs));
        camOut.ifPresent(p -> OutputFiles.check("cam-out", p, count, ".npy", "a NumPy .npy array", inputs));
        json.ifPresent(p -> OutputFiles.check("json", p, count, ".json", "JSON", inputs));
    }

    /**
     * @param progress receives the progress of long methods
     * @return the request these options describe
     */
    ExplainRequest request(Progress progress) {
        return request(progress, images, target);
    }

    /**
     * @param progress receives the progress of long methods
     * @param image    one of the images
     * @param spec     the target spec to explain instead of {@link #target()} (one detected object's)
     * @return the request these options describe for that image and target
     */
    ExplainRequest request(Progress progress, Path image, String spec) {
        return request(progress, List.of(image), spec);
    }

    /**
     * @param progress receives the progress of long methods
     * @param files    some of the images (one batch)
     * @return the request these options describe for those images
     */
    ExplainRequest request(Progress progress, List<Path> files) {
        return request(progress, files, target);
    }

    private ExplainRequest request(Progress progress, List<Path> files, String spec) {
        ExplainRequest.Builder builder = ExplainRequest.builder(model).method(method).target(spec)
                .augSmooth(augSmooth).eigenSmooth(eigenSmooth).originalSize(originalSize).progress(progress)
                .aggregation(aggregation.orElse(null));
        files.forEach(image -> builder.image(ImageInput.of(image)));
        layers.forEach(builder::layer);
        methodOptions.forEach(builder::option);
        return builder.build();
    }

    /**
     * @param imageWeight the {@code --image-weight} value, {@link Args#ABSENT} when not given
     * @param colormap    the {@code --colormap} value, {@link Args#ABSENT} when not given
     * @return the visualizer options given, by the names visualizers read
     */
    static Map<String, String> renderOptions(String imageWeight, String colormap) {
        Map<String, String> options = new LinkedHashMap<>();
        Args.given(imageWeight).ifPresent(w -> options.put("image-weight", imageWeight(w)));
        Args.given(colormap).ifPresent(c -> options.put("colormap", c));
        return options;
    }

    /** Checks that {@code value} is a number in [0, 1] and returns it as given. */
    static String imageWeight(String value) {
        Args.fraction("image-weight", value, "the image's share of the overlay");
        return value;
    }
}
