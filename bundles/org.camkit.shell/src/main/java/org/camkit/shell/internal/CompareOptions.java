package org.camkit.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.Progress;

/**
 * The options of {@code cam:compare}, parsed and checked before anything runs.
 *
 * @param model         model name or descriptor path
 * @param image         the image file
 * @param methods       the methods to compare, in order; empty for every registered method
 * @param out           where to write the grid
 * @param layers        the target layers; empty for the model's default
 * @param target        the target spec; empty for the predicted class
 * @param methodOptions options passed to every method ({@code --option name=value})
 * @param augSmooth     whether to average over flips and scalings
 * @param eigenSmooth   whether to take the first principal component
 * @param columns       the grid's columns; 0 lets the core pick them
 */
record CompareOptions(String model, Path image, List<String> methods, Path out, List<String> layers,
        String target, Map<String, String> methodOptions, boolean augSmooth, boolean eigenSmooth, int columns) {

    /**
     * @param given    option values by name without dashes; blank means not given; flags are {@code "true"}
     * @param repeated every value of the repeatable options {@code layer} and {@code option}
     */
    static CompareOptions parse(Map<String, String> given, Map<String, List<String>> repeated) {
        String model = Args.value(given, "model")
                .orElseThrow(() -> new CamException("cam:compare needs --model <model name or descriptor path>;"
                        + " cam:models lists the registered models"));
        String image = Args.value(given, "image")
                .orElseThrow(() -> new CamException("cam:compare needs --image <file>"));
        if (Args.commaList("image", image).size() > 1) {
            throw new CamException("cam:compare compares methods on one image, got --image " + image
                    + "; run it once per image");
        }
        String out = Args.value(given, "out")
                .orElseThrow(() -> new CamException("cam:compare needs --out <grid.png>"));
        return new CompareOptions(model, Args.path("image", image),
                Args.value(given, "methods").map(m -> Args.commaList("methods", m)).orElse(List.of()),
                Args.path("out", out),
                Args.layers(repeated),
                Args.value(given, "target").orElse(""),
                Args.methodOptions(repeated),
                Args.flag(given, "aug-smooth"),
                Args.flag(given, "eigen-smooth"),
                Args.value(given, "columns").map(CompareOptions::columns).orElse(0));
    }

    /** @return {@code value} as a number of columns, at least 1 */
    static int columns(String value) {
        try {
            int columns = Integer.parseInt(value);
            if (columns >= 1) {
                return columns;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new CamException("--columns is '" + value + "'; use a whole number from 1 (leave it out to let"
                + " the grid pick: one row up to 7 pictures)");
    }

    /**
     * @param progress receives the progress of long methods
     * @return the request to compare the methods on (its method is ignored by the comparison)
     */
    ExplainRequest request(Progress progress) {
        ExplainRequest.Builder builder = ExplainRequest.builder(model).image(ImageInput.of(image)).target(target)
                .augSmooth(augSmooth).eigenSmooth(eigenSmooth).progress(progress);
        layers.forEach(builder::layer);
        methodOptions.forEach(builder::option);
        return builder.build();
    }
}
