package org.camkit.visual.opencv.internal;

import java.util.List;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.camkit.spi.Charts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

// The charts of an evaluation report drawn with OpenCV on white, in its Hershey font: bar panels with confidence
// whiskers, and curves with a legend; one fixed palette, a label's colour following its first appearance.
@Component(service = Charts.class)
public final class OpenCvCharts implements Charts {
    /** Matplotlib's "tab10" colours, {R, G, B}. */
    static final int[][] PALETTE = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
        {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
    static final int[] INK = {30, 30, 30};
    static final int[] MUTED = {90, 90, 90};
    static final int[] AXIS = {60, 60, 60};
    static final int[] GRID = {225, 225, 225};

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public OpenCvCharts() {
        OpenCvNatives.load();
    }

    @Override
    public RgbImage bars(String title, List<BarPanel> panels) {
        if (panels.isEmpty()) {
            throw new CamException("bar chart '" + title + "' has no panels; give it at least one panel of bars");
        }
        for (BarPanel panel : panels) {
            if (panel.labels().isEmpty()) {
                throw new CamException("bar chart '" + title + "': panel '" + panel.title()
                        + "' has no labels; a panel needs at least one bar");
            }
        }
        return new BarFigure(panels).draw(title);
    }

    @Override
    public RgbImage curves(String title, String xLabel, String yLabel, List<Series> series) {
        if (series.isEmpty()) {
            throw new CamException("curve chart '" + title + "' has no series; give it at least one curve");
        }
        return new CurveChart(series).draw(title, xLabel, yLabel);
    }
}
