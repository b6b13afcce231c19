package org.camkit.visual.opencv.internal;

import java.util.Set;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Visualizer;
import org.camkit.spi.propertytypes.CamVisualizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

// The colour-mapped map alone, without the image: applyColorMap(np.uint8(255 * mask)) as RGB.
@Component(service = Visualizer.class)
@CamVisualizer(HeatmapVisualizer.NAME)
public final class HeatmapVisualizer implements Visualizer {
    static final String NAME = "heatmap";
    private static final Set<String> OPTIONS = Set.of(RenderOptions.COLORMAP);

    private final ColorMapping colours;

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public HeatmapVisualizer() {
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
        int colormap = RenderOptions.colormap(NAME, request.options());
        RgbImage image = request.image();
        return new RgbImage(image.width(), image.height(),
                colours.rgb(request.cam(), image.width(), image.height(), colormap));
    }
}
