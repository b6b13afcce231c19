package org.camkit.visual.opencv.internal;

import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Superpixels;
import org.camkit.spi.Visualizer;
import org.camkit.spi.propertytypes.CamVisualizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

// The overlay with the image's SLIC superpixel boundaries drawn in yellow, as skimage's mark_boundaries draws them
// ("inner" mode: a pixel whose right or lower neighbour lies in another segment), so users can check the
// segmentation LIME and KernelSHAP explain with; option segments as theirs (default 50).
@Component(service = Visualizer.class)
@CamVisualizer(SuperpixelsVisualizer.NAME)
public final class SuperpixelsVisualizer implements Visualizer {
    static final String NAME = "superpixels";
    static final String SEGMENTS = "segments";
    private static final Set<String> OPTIONS = Set.of(RenderOptions.COLORMAP, RenderOptions.IMAGE_WEIGHT, SEGMENTS);
    private static final byte[] YELLOW = {(byte) 255, (byte) 255, 0};

    private final ColorMapping colours;

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public SuperpixelsVisualizer() {
        OpenCvNatives.load();
        colours = new ColorMapping();
    }

    @Deactivate
    void deactivate() {
        colours.close();
    }

    @Override
    public RgbImage render(RenderRequest request) {
        Map<String, String> options = request.options();
        RenderOptions.checkKnown(NAME, options, OPTIONS);
        RgbImage image = request.image();
        int segments = segments(options, image.width() * image.height());
        byte[] out = OverlayVisualizer.overlay(NAME, request, colours);
        int[] labels = Superpixels.slic(image, segments).labels();
        int width = image.width();
        for (int p = 0; p < labels.length; p++) {
            boolean right = p % width < width - 1 && labels[p + 1] != labels[p];
            boolean below = p + width < labels.length && labels[p + width] != labels[p];
            if (right || below) {
                System.arraycopy(YELLOW, 0, out, 3 * p, 3);
            }
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    private static int segments(Map<String, String> options, int pixels) {
        String value = options.get(SEGMENTS);
        if (value == null) {
            return Superpixels.DEFAULT_SEGMENTS;
        }
        try {
            int segments = Integer.parseInt(value.trim());
            if (segments >= 1 && segments <= pixels) {
                return segments;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CamException("visualizer '" + NAME + "': option '" + SEGMENTS + "' is '" + value
                + "'; use a whole number from 1 to " + pixels + " (the SLIC superpixels asked for; default "
                + Superpixels.DEFAULT_SEGMENTS + ")");
    }
}
