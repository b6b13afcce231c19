package org.camkit.shell.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;

/**
 * The options of {@code cam:explain}, parsed and checked before anything runs.
 *
 * @param model         model name or descriptor path
 * @param images        the image files, in the order given
 * @param method        the CAM method
 * @param layers        the target layers; empty for the model's default
 * @param target        the target spec; empty for the predicted class
 * @param out           where to write the rendered picture(s), if anywhere
 * @param visualizer    the visualizer that renders {@code out}
 * @param renderOptions options for the visualizer (only those given)
 * @param camOut        where to write the raw map(s) as .npy, if anywhere
 * @param json          where to write the result(s) as JSON, if anywhere
 */
record ExplainOptions(String model, List<Path> images, String method, List<String> layers, String target,
        Optional<Path> out, String visualizer, Map<String, String> renderOptions, Optional<Path> camOut,
        Optional<Path> json) {

    static final String DEFAULT_VISUALIZER = "overlay";

    /**
     * @param given option values by name without dashes ({@code model}, {@code image}, ...); a missing or blank
     *              value means the option was not given
     */
    static ExplainOptions parse(Map<String, String> given) {
        String model = value(given, "model")
                .orElseThrow(() -> new CamException("cam:explain needs --model <model name or descriptor path>;"
                        + " cam:models lists the registered models"));
        String imageList = value(given, "image")
                .orElseThrow(() -> new CamException("cam:explain needs --image <file>[,<file>...]"));
        List<Path> images = new ArrayList<>();
        for (String image : commaList("image", imageList)) {
            images.add(path("image", image));
        }
        Map<String, String> renderOptions = new LinkedHashMap<>();
        value(given, "image-weight").ifPresent(w -> renderOptions.put("image-weight", imageWeight(w)));
        value(given, "colormap").ifPresent(c -> renderOptions.put("colormap", c));
        return new ExplainOptions(model, List.copyOf(images),
                value(given, "method").orElse(ExplainRequest.DEFAULT_METHOD),
                value(given, "layer").map(l -> commaList("layer", l)).orElse(List.of()),
                value(given, "target").orElse(""),
                value(given, "out").map(p -> path("out", p)),
                value(given, "visualizer").orElse(DEFAULT_VISUALIZER),
                Map.copyOf(renderOptions),
                value(given, "cam-out").map(p -> path("cam-out", p)),
                value(given, "json").map(p -> path("json", p)));
    }

    /** @return the request these options describe */
    ExplainRequest request() {
        ExplainRequest.Builder builder = ExplainRequest.builder(model).method(method).target(target);
        images.forEach(image -> builder.image(ImageInput.of(image)));
        layers.forEach(builder::layer);
        return builder.build();
    }

    /** Splits {@code a, b,c} into its trimmed items; an empty item is an error naming the option. */
    static List<String> commaList(String option, String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new CamException("--" + option + " '" + value + "' has an empty item; separate "
                        + option + "s with single commas, e.g. a,b");
            }
            items.add(trimmed);
        }
        return items;
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
                    + " (the image's share of the overlay, default 0.5)");
        }
        return value;
    }

    private static Optional<String> value(Map<String, String> given, String option) {
        String value = given.get(option);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Path path(String option, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CamException("--" + option + " '" + value + "' is not a valid file path: " + e.getReason(), e);
        }
    }
}
