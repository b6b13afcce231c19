package org.camkit.visual.opencv.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.api.Concept;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Visualizer;
import org.camkit.spi.propertytypes.CamVisualizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

// The concepts of a factorisation coloured over the image, with a legend beside it, as pytorch-grad-cam's
// show_factorization_on_image: each pixel takes the colour of its strongest concept, as bright as that concept.
@Component(service = Visualizer.class)
@CamVisualizer(ConceptsVisualizer.NAME)
public final class ConceptsVisualizer implements Visualizer {
    static final String NAME = "concepts";
    static final double DEFAULT_IMAGE_WEIGHT = 0.3;
    static final int MIN_LEGEND_WIDTH = 160;
    private static final int LEGEND_LINES = 3;
    private static final int[] TEXT = {20, 20, 20};
    private static final Set<String> OPTIONS = Set.of(RenderOptions.IMAGE_WEIGHT);

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public ConceptsVisualizer() {
        OpenCvNatives.load();
    }

    @Override
    public RgbImage render(RenderRequest request) {
        Map<String, String> options = request.options();
        RenderOptions.checkKnown(NAME, options, OPTIONS);
        double imageWeight = RenderOptions.imageWeight(NAME, options, DEFAULT_IMAGE_WEIGHT);
        ImageExplanation result = request.result();
        List<Concept> concepts = result.concepts();
        if (concepts.isEmpty()) {
            throw new CamException("visualizer '" + NAME + "' needs concepts, and the explanation of "
                    + result.source() + " has none; only factorisation methods give them (dff, Deep Feature"
                    + " Factorization): explain with it, or render this result with 'overlay'");
        }
        ConceptColours colours = new ConceptColours(concepts.size());
        RgbImage image = result.image();
        RgbImage coloured = new RgbImage(image.width(), image.height(),
                colour(image.rgb(), normalisedMaps(concepts, image), colours, imageWeight));
        return withLegend(coloured, concepts, colours);
    }

    /** Each concept's map min-max normalised as scale_cam_image does: {@code (m - min) / (1e-7 + max - min)}. */
    static float[][] normalisedMaps(List<Concept> concepts, RgbImage image) {
        int area = image.width() * image.height();
        float[][] maps = new float[concepts.size()][];
        for (int i = 0; i < maps.length; i++) {
            float[] map = concepts.get(i).map();
            if (map.length != area) {
                throw new CamException("visualizer '" + NAME + "': concept " + i + " (" + concepts.get(i).legend()
                        + ") has a map of " + map.length + " values, the image " + image.width() + "x"
                        + image.height() + " needs " + area + "; the method must resize concepts to the image");
            }
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : map) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (int p = 0; p < area; p++) {
                map[p] = (map[p] - min) / (1e-7f + (max - min));
            }
            maps[i] = map;
        }
        return maps;
    }

    /**
     * Per pixel: the concept with the largest value (the first on ties), its colour at brightness
     * {@code np.uint8(255 * value)}, blended {@code np.uint8(255 * (img * w + mask * (1 - w)))}.
     */
    static byte[] colour(byte[] image, float[][] maps, ConceptColours colours, double imageWeight) {
        float weight = (float) imageWeight;
        float maskWeight = (float) (1.0 - imageWeight);
        int area = maps[0].length;
        byte[] mask = new byte[3];
        byte[] out = new byte[area * 3];
        for (int p = 0; p < area; p++) {
            int best = 0;
            for (int i = 1; i < maps.length; i++) {
                if (maps[i][p] > maps[best][p]) {
                    best = i;
                }
            }
            colours.shade(best, ColorMapping.toUint8(maps[best][p]), mask, 0);
            for (int c = 0; c < 3; c++) {
                float v = (image[3 * p + c] & 0xff) / 255f * weight + (mask[c] & 0xff) / 255f * maskWeight;
                out[3 * p + c] = (byte) (int) (v * 255f);
            }
        }
        return out;
    }

    /** The picture with a legend to its right: per concept a colour swatch and its legend text, wrapped. */
    static RgbImage withLegend(RgbImage picture, List<Concept> concepts, ConceptColours colours) {
        Lettering font = Lettering.forPictureHeight(picture.height());
        int pad = Math.max(4, font.lineHeight() / 2);
        int swatch = font.lineHeight();
        int panelWidth = Math.max(picture.width(), MIN_LEGEND_WIDTH);
        int textX = picture.width() + pad + swatch + pad;
        int textWidth = panelWidth - (pad + swatch + pad) - pad;
        List<List<String>> legends = new ArrayList<>();
        int height = pad;
        for (Concept concept : concepts) {
            List<String> lines = font.wrap(concept.legend(), textWidth, LEGEND_LINES);
            legends.add(lines);
            height += Math.max(swatch, lines.size() * font.lineHeight()) + pad;
        }
        try (Canvas canvas = new Canvas(picture.width() + panelWidth, Math.max(picture.height(), height))) {
            canvas.paste(picture, 0, 0);
            int y = pad;
            for (int i = 0; i < legends.size(); i++) {
                canvas.box(picture.width() + pad, y, swatch, swatch, colours.colour(i));
                List<String> lines = legends.get(i);
                for (int k = 0; k < lines.size(); k++) {
                    canvas.text(lines.get(k), textX, y + font.ascent() + k * font.lineHeight(), font, TEXT);
                }
                y += Math.max(swatch, lines.size() * font.lineHeight()) + pad;
            }
            return canvas.toImage();
        }
    }
}
