package org.camkit.core.internal;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Visualizer;

/** Renders one image of an explanation with a visualizer picked by name, or with the result's natural picture. */
final class RenderStep {

    private final PluginRegistry<Visualizer> visualizers;

    /** @param visualizers the registered visualizers */
    RenderStep(PluginRegistry<Visualizer> visualizers) {
        this.visualizers = visualizers;
    }

    /** See {@link org.camkit.api.Explainer#render}. */
    RgbImage render(Explanation explanation, int image, String visualizer, Map<String, String> options) {
        if (image < 0 || image >= explanation.images().size()) {
            throw new CamException("image index " + image + " is out of range: the explanation has "
                    + explanation.images().size() + " image(s)");
        }
        ImageExplanation result = explanation.images().get(image);
        String name = visualizer == null || visualizer.isBlank() ? naturalPicture(result) : visualizer;
        return visualizers.get(name).service().render(new RenderRequest(result, explanation.labels(),
                options == null ? Map.of() : options));
    }

    /**
     * @return the visualizer of the result's natural picture: its gradient image, its concepts, a detector's boxes,
     *         else the overlay
     */
    static String naturalPicture(ImageExplanation result) {
        return result.gradient() != null ? "gradient" : !result.concepts().isEmpty() ? "concepts"
                : !result.detections().isEmpty() ? "boxes" : "overlay";
    }
}
