package org.camkit.metric.localisation.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camkit.api.CamException;
import org.camkit.spi.MetricData;
import org.camkit.spi.TruthRegion;

/**
 * The annotated pixels a localisation metric compares a map with: the union of an image's regions of one label
 * (by default the label of the class the target explains), as boxes or as their own pixels.
 */
final class Truth {

    /** The option choosing the regions' label. */
    static final String LABEL = "label";
    /** The option choosing boxes or pixels. */
    static final String SHAPE = "shape";
    /** The options every localisation metric reads, with their descriptions. */
    static final Map<String, String> OPTIONS = Map.of(
            LABEL, "the objects to compare with: their category, or several separated by commas (default: the label"
                    + " of the class the target explains; * for every object)",
            SHAPE, "box (default: each object's bounding box, as the Score-CAM paper scores) or pixels (its"
                    + " segmentation polygon or mask where it has one, else its box)");

    private Truth() {
    }

    /**
     * @param name        a metric's own option
     * @param description its description
     * @return {@link #OPTIONS} and that option
     */
    static Map<String, String> optionsWith(String name, String description) {
        Map<String, String> options = new HashMap<>(OPTIONS);
        options.put(name, description);
        return Map.copyOf(options);
    }

    /**
     * @param data   the batch
     * @param image  an image index
     * @param metric the metric's name, for messages
     * @return the chosen objects' pixels on the map's grid, row-major; null when the image has no object of the
     *         label (e.g. the model predicts a class the image does not show): the metric has no value there, and
     *         the report counts the images that have one
     * @throws CamException if an option is malformed or the target explains no class and no label is given
     */
    static boolean[] pixels(MetricData data, int image, String metric) {
        String shape = data.options().getOrDefault(SHAPE, "box");
        if (!shape.equals("box") && !shape.equals("pixels")) {
            throw new CamException("metric '" + metric + "': option shape must be box or pixels, got '" + shape
                    + "'");
        }
        String label = data.options().get(LABEL);
        if (label == null) {
            int c = data.classes()[image];
            if (c < 0) {
                throw new CamException("metric '" + metric + "': the target explains no class, so the objects to "
                        + "compare with are unknown; give the option label=<category> (or label=*)");
            }
            label = data.probe().model().label(c);
        }
        Set<String> labels = Arrays.stream(label.split(",")).map(String::trim).collect(Collectors.toSet());
        List<TruthRegion> regions = data.truth().get(image);
        int w = data.maps().dim(2);
        int h = data.maps().dim(1);
        boolean[] out = new boolean[w * h];
        boolean any = false;
        for (TruthRegion r : regions) {
            if (!labels.contains("*") && !labels.contains(r.label())) {
                continue;
            }
            any = true;
            boolean[] pixels = r.pixels();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (shape.equals("box") ? r.inBox(x, y) : pixels[y * w + x]) {
                        out[y * w + x] = true;
                    }
                }
            }
        }
        return any ? out : null;
    }
}
