package org.camkit.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.Progress;

/**
 * The options of {@code cam:explain}, parsed and checked before anything runs.
 *
 * @param model         model name or descriptor path
 * @param images        the image files, in the order given
 * @param method        the CAM method
 * @param layers        the target layers; empty for the model's default
 * @param target        the target spec; empty for the predicted class
 * @param methodOptions the method's options ({@code --option name=value})
 * @param augSmooth     whether to average over flips and scalings
 * @param eigenSmooth   whether to take the first principal component
 * @param out           where to write the rendered picture(s), if anywhere
 * @param visualizer    the visualizer that renders {@code out}; empty lets the core pick the result's natural
 *                      picture (gradient image, concepts or overlay)
 * @param renderOptions options for the visualizer (only those given)
 * @param camOut        where to write the raw map(s) as .npy, if anywhere
 * @param json          where to write the result(s) as JSON, if anywhere
 */
record ExplainOptions(String model, List<Path> images, String method, List<String> layers, String target,
        Map<String, String> methodOptions, boolean augSmooth, boolean eigenSmooth, Optional<Path> out,
        Optional<String> visualizer, Map<String, String> renderOptions, Optional<Path> camOut, Optional<Path> json) {

    /**
     * @param given    option values by name without dashes ({@code model}, {@code image}, ...); a missing or
     *                 blank value means the option was not given; flags are {@code "true"} when given
     * @param repeated every value of the repeatable options {@code layer} and {@code option}
     */
    static ExplainOptions parse(Map<String, String> given, Map<String, List<String>> repeated) {
        String model = Args.value(given, "model")
                .orElseThrow(() -> new CamException("cam:explain needs --model <model name or descriptor path>;"
                        + " cam:models lists the registered models"));
        String imageList = Args.value(given, "image")
                .orElseThrow(() -> new CamException("cam:explain needs --image <file>[,<file>...]"));
        List<Path> images = new ArrayList<>();
        for (String image : Args.commaList("image", imageList)) {
            images.add(Args.path("image", image));
        }
        Map<String, String> renderOptions = new LinkedHashMap<>();
        Args.value(given, "image-weight").ifPresent(w -> renderOptions.put("image-weight", imageWeight(w)));
        Args.value(given, "colormap").ifPresent(c -> renderOptions.put("colormap", c));
        return new ExplainOptions(model, List.copyOf(images),
                Args.value(given, "method").orElse(ExplainRequest.DEFAULT_METHOD),
                Args.layers(repeated),
                Args.value(given, "target").orElse(""),
                Args.methodOptions(repeated),
                Args.flag(given, "aug-smooth"),
                Args.flag(given, "eigen-smooth"),
                Args.value(given, "out").map(p -> Args.path("out", p)),
                Args.value(given, "visualizer"),
                Map.copyOf(renderOptions),
                Args.value(given, "cam-out").map(p -> Args.path("cam-out", p)),
                Args.value(given, "json").map(p -> Args.path("json", p)));
    }

    /**
     * @param progress receives the progress of long methods
     * @return the request these options describe
     */
    ExplainRequest request(Progress progress) {
        ExplainRequest.Builder builder = ExplainRequest.builder(model).method(method).target(target)
                .augSmooth(augSmooth).eigenSmooth(eigenSmooth).progress(progress);
        images.forEach(image -> builder.image(ImageInput.of(image)));
        layers.forEach(builder::layer);
        methodOptions.forEach(builder::option);
        return builder.build();
    }

    /** Checks that {@code value} is a number in [0, 1] and returns it as given. */
    static String imageWeight(String value) {
        double weight;
        try {
            weight = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            weight = Double.NaN;
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new CamException("--image-weight is '" + value + "'; use a number from 0 to 1"
                    + " (the image's share of the overlay)");
        }
        return value;
    }
}
