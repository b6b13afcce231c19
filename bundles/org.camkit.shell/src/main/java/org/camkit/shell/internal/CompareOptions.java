package org.camkit.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.LayerAggregation;
import org.camkit.api.Progress;

/**
 * The options of {@code cam:compare}, checked before anything runs.
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
 * @param aggregation   how several layers' maps become one; empty for each method's default
 * @param columns       the grid's columns; 0 lets the core pick them
 */
record CompareOptions(String model, Path image, List<String> methods, Path out, List<String> layers,
        String target, Map<String, String> methodOptions, boolean augSmooth, boolean eigenSmooth,
        Optional<LayerAggregation> aggregation, int columns) {

    /** Copies, and checks that the grid's file destroys nothing ({@link OutputFiles#check}). */
    CompareOptions {
        methods = List.copyOf(methods);
        layers = List.copyOf(layers);
        methodOptions = Map.copyOf(methodOptions);
        OutputFiles.check("out", out, 1, ".png", "a PNG picture", List.of(image));
    }

    /** @return the one image of the {@code --image} value; a comma list of several is refused */
    static Path oneImage(String value) {
        List<Path> images = Args.paths("image", value);
        if (images.size() > 1) {
            throw new CamException("cam:compare compares methods on one image, got --image " + value
                    + "; run it once per image");
        }
        return images.get(0);
    }

    /** @return the {@code --columns} value as a number of columns, at least 1; 0 (the grid picks) when not given */
    static int columns(String value) {
        return Args.given(value).map(CompareOptions::positive).orElse(0);
    }

    private static int positive(String value) {
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
                .augSmooth(augSmooth).eigenSmooth(eigenSmooth).progress(progress)
                .aggregation(aggregation.orElse(null));
        layers.forEach(builder::layer);
        methodOptions.forEach(builder::option);
        return builder.build();
    }
}
