package org.camkit.visual.opencv.internal;

import java.util.Map;
import java.util.Set;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Visualizer;
import org.camkit.spi.propertytypes.CamVisualizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

// The map blended over the image, exactly as pytorch-grad-cam's show_cam_on_image(img, mask, use_rgb=True).
@Component(service = Visualizer.class)
@CamVisualizer(OverlayVisualizer.NAME)
public final class OverlayVisualizer implements Visualizer {
    static final String NAME = "overlay";
    private static final Set<String> OPTIONS = Set.of(RenderOptions.COLORMAP, RenderOptions.IMAGE_WEIGHT);

    private final ColorMapping colours;

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public OverlayVisualizer() {
        OpenCvNatives.load();
        colours = new ColorMapping();
    }

    @Deactivate
    void deactivate() {
        colours.close();
    }

    @Override
    public RgbImage render(RenderRequest request) {
        RenderOptions.checkKnown(NAME, request.options(), OPTIONS);
        return new RgbImage(request.image().width(), request.image().height(), overlay(NAME, request, colours));
    }

    /**
     * The overlay's pixels for visualizers that draw over it, reading its options (image-weight, colormap) from
     * the request; errors name {@code visualizer}.
     *
     * @return {@code width * height * 3} RGB bytes
     */
    static byte[] overlay(String visualizer, RenderRequest request, ColorMapping colours) {
        Map<String, String> options = request.options();
        double imageWeight = RenderOptions.imageWeight(visualizer, options);
        int colormap = RenderOptions.colormap(visualizer, options);
        RgbImage image = request.image();
        byte[] heatmap = colours.rgb(request.cam(), image.width(), image.height(), colormap);
        return blend(heatmap, image.rgb(), imageWeight);
    }

    /**
     * {@code cam = (1 - w) * heatmap / 255 + w * img / 255; np.uint8(255 * cam / np.max(cam))} in float32, as
     * show_cam_on_image computes it. The sum is computed twice (for the max, then per pixel) rather than stored.
     */
    static byte[] blend(byte[] heatmap, byte[] image, double imageWeight) {
        float heatWeight = (float) (1.0 - imageWeight);
        float weight = (float) imageWeight;
        float max = 0f;
        for (int i = 0; i < heatmap.length; i++) {
            max = Math.max(max, heatWeight * ((heatmap[i] & 0xff) / 255f) + weight * ((image[i] & 0xff) / 255f));
        }
        byte[] out = new byte[heatmap.length];
        if (max == 0f) {
            return out;
        }
        for (int i = 0; i < heatmap.length; i++) {
            float cam = heatWeight * ((heatmap[i] & 0xff) / 255f) + weight * ((image[i] & 0xff) / 255f);
            out[i] = (byte) (int) (255f * (cam / max));
        }
        return out;
    }
}
