package org.camkit.visual.opencv.internal;

import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Visualizer;
import org.camkit.spi.propertytypes.CamVisualizer;
import org.osgi.service.component.annotations.Component;

// The gradient image of guided methods, contrast-stretched as pytorch-grad-cam's deprocess_image.
@Component(service = Visualizer.class)
@CamVisualizer(GradientVisualizer.NAME)
public final class GradientVisualizer implements Visualizer {
    static final String NAME = "gradient";
    private static final double EPS = 1e-5;

    @Override
    public RgbImage render(RenderRequest request) {
        RenderOptions.checkKnown(NAME, request.options(), Set.of());
        ImageExplanation result = request.result();
        float[] gradient = result.gradient();
        if (gradient == null) {
            throw new CamException("visualizer '" + NAME + "' needs a gradient image, and the explanation of "
                    + result.source() + " has none; only guided methods give one (guidedbackprop,"
                    + " guidedgradcam): explain with one of them, or render this result with 'overlay'");
        }
        return new RgbImage(result.width(), result.height(), deprocess(gradient, result.width() * result.height()));
    }

    /**
     * {@code img - mean; / (std + 1e-5); * 0.1; + 0.5; clip [0, 1]; np.uint8(* 255)} with the mean and the
     * (population) standard deviation over all values, as deprocess_image computes them.
     *
     * @param planes {@code [3, H, W]}: the R, G and B planes
     * @param area   {@code H * W}
     * @return the RGB bytes, interleaved
     */
    static byte[] deprocess(float[] planes, int area) {
        double sum = 0;
        for (float v : planes) {
            sum += v;
        }
        double mean = sum / planes.length;
        double squares = 0;
        for (float v : planes) {
            squares += (v - mean) * (v - mean);
        }
        double scale = 0.1 / (Math.sqrt(squares / planes.length) + EPS);
        byte[] rgb = new byte[planes.length];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < area; p++) {
                double v = Math.min(1.0, Math.max(0.0, (planes[c * area + p] - mean) * scale + 0.5));
                rgb[3 * p + c] = (byte) (int) (v * 255);
            }
        }
        return rgb;
    }
}
