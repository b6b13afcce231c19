package org.camkit.visual.opencv.internal;

import static org.camkit.visual.opencv.internal.BarFigure.LEFT;
import static org.camkit.visual.opencv.internal.BarFigure.MARGIN;
import static org.camkit.visual.opencv.internal.BarFigure.SLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.camkit.api.CamException;
import org.camkit.api.RgbImage;
import org.camkit.spi.Charts.BarPanel;
import org.camkit.spi.Charts.Series;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenCvChartsTest {
    private static final double NAN = Double.NaN;
    private static final List<String> METHODS = List.of("gradcam", "gradcam++", "eigengradcam");
    private static OpenCvCharts charts;

    @BeforeAll
    static void activate() {
        charts = new OpenCvCharts();
    }

    @Test
    void barFigureGrowsWithItsPanelsAndWrapsAfterFour() {
        RgbImage one = charts.bars("t", panels(1));
        RgbImage three = charts.bars("t", panels(3));
        RgbImage six = charts.bars("t", panels(6));

        int panelWidth = LEFT + 3 * SLOT + BarFigure.RIGHT;
        assertEquals(2 * MARGIN + panelWidth, one.width(), "one panel of three bars");
        assertEquals(2 * MARGIN + 3 * panelWidth, three.width(), "three panels side by side");
        assertEquals(one.height(), three.height(), "one row either way");
        assertEquals(2 * MARGIN + 4 * panelWidth, six.width(), "four panels in the first row, two in the second");
        int panelHeight = six.height() - one.height();
        assertTrue(panelHeight > 250, "a second row of panels: " + panelHeight + " px more");
        assertTrue(one.height() - panelHeight < 60, "the rest is the figure's title and margins");
    }

    @Test
    void eachBarIsDrawnInItsLabelsColourAtItsSlot() {
        RgbImage figure = charts.bars("t", panels(2));

        for (int panel = 0; panel < 2; panel++) {
            int panelX = MARGIN + panel * (LEFT + 3 * SLOT + BarFigure.RIGHT);
            for (int bar = 0; bar < 3; bar++) {
                int centre = panelX + LEFT + bar * SLOT + SLOT / 2;
                int[] colour = OpenCvCharts.PALETTE[bar];
                assertTrue(countInColumn(figure, centre + 10, colour) > 20,
                        "panel " + panel + ": bar " + bar + " in its colour at x " + centre);
                assertEquals(0, countInColumn(figure, centre + SLOT / 2, colour), "the slot's edge is not bar");
            }
        }
    }

    @Test
    void theSameLabelHasTheSameColourInEveryPanel() {
        BarPanel first = panel("a", List.of("gradcam", "scorecam"), new double[] {0.5, 0.5});
        BarPanel second = panel("b", List.of("scorecam", "gradcam"), new double[] {0.5, 0.5});

        RgbImage figure = charts.bars("t", List.of(first, second));

        int secondX = MARGIN + LEFT + 2 * SLOT + BarFigure.RIGHT;
        assertTrue(countInColumn(figure, secondX + LEFT + SLOT / 2 + 10, OpenCvCharts.PALETTE[1]) > 20,
                "scorecam keeps its colour from the first panel");
        assertTrue(countInColumn(figure, secondX + LEFT + SLOT + SLOT / 2 + 10, OpenCvCharts.PALETTE[0]) > 20,
                "and so does gradcam");
    }

    @Test
    void aTallerValueGivesATallerBar() {
        RgbImage figure = charts.bars("t",
                List.of(panel("p", METHODS, new double[] {0.2, 0.8, 0.4})));

        int[] heights = new int[3];
        for (int bar = 0; bar < 3; bar++) {
            heights[bar] = countInColumn(figure, barCentre(bar) + 10, OpenCvCharts.PALETTE[bar]);
        }
        assertTrue(heights[1] > heights[2] && heights[2] > heights[0], Arrays.toString(heights));
        assertEquals(4.0, (double) heights[1] / heights[0], 0.1, "heights proportional to values from zero");
    }

    @Test
    void aNegativeValueDrawsItsBarBelowTheZeroLine() {
        RgbImage figure = charts.bars("t", List.of(panel("p", List.of("up", "down"), new double[] {0.5, -0.3})));

        int[] up = rows(figure, barCentre(0) + 10, OpenCvCharts.PALETTE[0]);
        int[] down = rows(figure, barCentre(1) + 10, OpenCvCharts.PALETTE[1]);
        assertTrue(down[0] > up[1], "the negative bar starts below the positive one's foot (the zero line): "
                + down[0] + " > " + up[1]);
        assertEquals(0.6, (double) (down[1] - down[0]) / (up[1] - up[0]), 0.05, "0.3 down against 0.5 up");
    }

    @Test
    void aWhiskerRisesAboveTheBarWhenTheIntervalDoes() {
        BarPanel withInterval = new BarPanel("p", List.of("a", "b"), new double[] {0.5, 0.5},
                new double[] {0.4, NAN}, new double[] {0.7, NAN});

        RgbImage figure = charts.bars("t", List.of(withInterval));

        int whiskered = darkJustAbove(figure, barCentre(0), OpenCvCharts.PALETTE[0]);
        int plain = darkJustAbove(figure, barCentre(1), OpenCvCharts.PALETTE[1]);
        assertEquals(5, whiskered, "the whisker's dark line above the bar's top: " + whiskered);
        assertEquals(0, plain, "no interval, no whisker: white above the bar up to its value");
    }

    @Test
    void aNanValueDrawsNoBar() {
        RgbImage figure = charts.bars("t", List.of(panel("p", List.of("a", "b"), new double[] {0.5, NAN})));

        assertEquals(0, countInColumn(figure, barCentre(1) + 10, OpenCvCharts.PALETTE[1]));
        assertTrue(countInColumn(figure, barCentre(0) + 10, OpenCvCharts.PALETTE[0]) > 20);
    }

    @Test
    void valuesArePrintedToThreeSignificantDigitsAndAxesGetThreeToFiveRoundTicks() {
        assertEquals(List.of("0.500", "12.3", "-4.20", "0.00123", "1.23e-04", "n/a"),
                Stream.of(0.5, 12.345, -4.2, 0.001234, 0.0001234, NAN).map(Ticks::significant).toList());
        Ticks unit = Ticks.covering(0, 0.93, 5);
        assertEquals(List.of("0.00", "0.25", "0.50", "0.75", "1.00"),
                IntStream.range(0, unit.count()).mapToObj(unit::label).toList());
        Ticks signed = Ticks.covering(-4.2, 15.1, 5);
        assertEquals(List.of("-10", "0", "10", "20"),
                IntStream.range(0, signed.count()).mapToObj(signed::label).toList());
    }

    @Test
    void everySeriesIsDrawnInItsColour() {
        List<Series> series = List.of(rising("a"), falling("b"), new Series("c", range(11), constant(11, 0.5)));

        RgbImage chart = charts.curves("t", "x", "y", series);

        assertEquals(CurveChart.WIDTH, chart.width());
        assertEquals(CurveChart.HEIGHT, chart.height());
        CurveChart.Frame frame = new CurveChart(series).frame();
        for (int s = 0; s < 3; s++) {
            assertTrue(countInBox(chart, frame, OpenCvCharts.PALETTE[s]) > 100, "series " + s + " in the plot");
        }
    }

    @Test
    void aRisingSeriesIsHigherOnTheRight() {
        List<Series> series = List.of(rising("up"));
        RgbImage chart = charts.curves("t", "x", "y", series);
        CurveChart.Frame f = new CurveChart(series).frame();

        int[] left = rows(chart, f.left() + 20, OpenCvCharts.PALETTE[0]);
        int[] right = rows(chart, f.right() - 20, OpenCvCharts.PALETTE[0]);
        assertTrue(right[1] < left[0], "rows grow downwards: right " + right[1] + " above left " + left[0]);
    }

    @Test
    void aNanPointBreaksTheLine() {
        double[] y = constant(11, 0.5);
        y[5] = NAN;
        List<Series> series = List.of(new Series("gap", range(11), y));
        RgbImage chart = charts.curves("t", "x", "y", series);
        CurveChart.Frame f = new CurveChart(series).frame();

        double step = (f.right() - f.left()) / 10.0;
        int gap = (int) Math.round(f.left() + 5 * step);
        for (int dx = -(int) (step / 2); dx <= step / 2; dx++) {
            assertEquals(0, countInColumn(chart, gap + dx, OpenCvCharts.PALETTE[0]), "nothing drawn at x 5");
        }
        assertTrue(countInColumn(chart, (int) Math.round(f.left() + 3.5 * step), OpenCvCharts.PALETTE[0]) > 0);
        assertTrue(countInColumn(chart, (int) Math.round(f.left() + 7.5 * step), OpenCvCharts.PALETTE[0]) > 0);
    }

    @Test
    void emptyInputsAreRefusedNamingWhatIsEmpty() {
        CamException noPanels = assertThrows(CamException.class, () -> charts.bars("faithfulness", List.of()));
        assertTrue(noPanels.getMessage().contains("'faithfulness' has no panels"), noPanels.getMessage());

        BarPanel empty = panel("deletion AUC", List.of(), new double[0]);
        CamException noLabels = assertThrows(CamException.class,
                () -> charts.bars("faithfulness", List.of(panels(1).get(0), empty)));
        assertTrue(noLabels.getMessage().contains("panel 'deletion AUC' has no labels"), noLabels.getMessage());

        CamException noSeries = assertThrows(CamException.class, () -> charts.curves("deletion", "x", "y",
                List.of()));
        assertTrue(noSeries.getMessage().contains("'deletion' has no series"), noSeries.getMessage());
    }

    @Test
    void examplesRenderToPngForALook() throws IOException {
        List<String> methods = List.of("gradcam", "gradcam++", "eigengradcam", "scorecam", "layercam");
        List<BarPanel> panels = List.of(
                new BarPanel("deletion AUC (lower is better)", methods, new double[] {0.182, 0.176, 0.241, 0.153,
                    0.19}, new double[] {0.16, 0.15, 0.21, 0.13, 0.17}, new double[] {0.2, 0.2, 0.27, 0.18, 0.21}),
                new BarPanel("insertion AUC (higher is better)", methods, new double[] {0.61, 0.63, 0.55, 0.66,
                    NAN}, new double[] {0.58, 0.6, 0.51, 0.63, NAN}, new double[] {0.64, 0.66, 0.59, 0.69, NAN}),
                new BarPanel("increase in confidence % (higher is better)", methods, new double[] {12.5, 9.8,
                    -4.2, 15.1, 7.7}, new double[] {NAN, NAN, NAN, NAN, NAN},
                    new double[] {NAN, NAN, NAN, NAN, NAN}),
                new BarPanel("pointing game (higher is better)", methods.subList(0, 2), new double[] {0.8, 0.75},
                    new double[] {0.7, 0.66}, new double[] {0.88, 0.83}),
                new BarPanel("ROAD MoRF (lower is better)", methods, new double[] {0.31, 0.29, 0.37, 0.27, 0.33},
                    new double[] {0.28, 0.26, 0.33, 0.24, 0.3}, new double[] {0.34, 0.32, 0.41, 0.3, 0.36}));
        List<Series> series = new ArrayList<>();
        for (int m = 0; m < methods.size(); m++) {
            double[] x = new double[21];
            double[] y = new double[21];
            for (int i = 0; i < x.length; i++) {
                x[i] = i / 20.0;
                y[i] = 0.9 * Math.exp(-x[i] * (3 + 2 * m)) + 0.02;
            }
            if (m == 4) {
                y[10] = NAN;
            }
            series.add(new Series(methods.get(m), x, y));
        }

        Path dir = Files.createDirectories(Path.of("target", "charts"));
        Files.write(dir.resolve("bars.png"), charts.bars("faithfulness of 5 methods on 50 images", panels).png());
        Files.write(dir.resolve("curves.png"), charts.curves("deletion curve (mean over 50 images)",
                "fraction of pixels deleted", "probability of the class", series).png());
        Files.write(dir.resolve("bars-edges.png"), charts.bars("one bar, only negative values, all n/a, a long"
                + " label and a title longer than the panels", List.of(
                panel("hits (higher is better)", List.of("gradcam"), new double[] {0.4}),
                panel("change in confidence % (higher is better)", List.of("a-very-long-method-name-indeed", "b"),
                    new double[] {-12.5, -3}),
                panel("not measured", List.of("x", "y"), new double[] {NAN, NAN}))).png());

        assertTrue(Files.size(dir.resolve("bars.png")) > 0 && Files.size(dir.resolve("curves.png")) > 0);
    }

    private static List<BarPanel> panels(int count) {
        return Collections.nCopies(count, panel("deletion AUC (lower is better)", METHODS,
                new double[] {0.3, 0.5, 0.4}));
    }

    private static BarPanel panel(String title, List<String> labels, double[] values) {
        double[] none = new double[labels.size()];
        Arrays.fill(none, NAN);
        return new BarPanel(title, labels, values, none, none);
    }

    /** The centre of bar {@code i} of the figure's first panel, two or more bars to it. */
    private static int barCentre(int i) {
        return MARGIN + LEFT + i * SLOT + SLOT / 2;
    }

    private static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    private static double[] constant(int n, double v) {
        double[] y = new double[n];
        Arrays.fill(y, v);
        return y;
    }

    private static Series rising(String name) {
        double[] y = range(11);
        for (int i = 0; i < y.length; i++) {
            y[i] /= 10;
        }
        return new Series(name, range(11), y);
    }

    private static Series falling(String name) {
        double[] y = range(11);
        for (int i = 0; i < y.length; i++) {
            y[i] = 1 - y[i] / 10;
        }
        return new Series(name, range(11), y);
    }

    private static int[] pixel(RgbImage image, int x, int y) {
        int i = 3 * (y * image.width() + x);
        return new int[] {image.value(i), image.value(i + 1), image.value(i + 2)};
    }

    private static int countInColumn(RgbImage image, int x, int[] colour) {
        int n = 0;
        for (int y = 0; y < image.height(); y++) {
            n += Arrays.equals(pixel(image, x, y), colour) ? 1 : 0;
        }
        return n;
    }

    /** @return the first and last row of {@code colour} in column {@code x}; fails if it has none */
    private static int[] rows(RgbImage image, int x, int[] colour) {
        int first = -1;
        int last = -1;
        for (int y = 0; y < image.height(); y++) {
            if (Arrays.equals(pixel(image, x, y), colour)) {
                first = first < 0 ? y : first;
                last = y;
            }
        }
        assertTrue(first >= 0, "colour " + Arrays.toString(colour) + " in column " + x);
        return new int[] {first, last};
    }

    /** Dark pixels in the 5 rows above the bar's top, in its centre column, under where its value is printed. */
    private static int darkJustAbove(RgbImage image, int centre, int[] colour) {
        int top = rows(image, centre + 10, colour)[0];
        int dark = 0;
        for (int y = top - 5; y < top; y++) {
            int[] p = pixel(image, centre, y);
            dark += p[0] < 100 && p[1] < 100 && p[2] < 100 ? 1 : 0;
        }
        return dark;
    }

    private static int countInBox(RgbImage image, CurveChart.Frame f, int[] colour) {
        int n = 0;
        for (int y = f.top(); y <= f.bottom(); y++) {
            for (int x = f.left(); x <= f.right(); x++) {
                n += Arrays.equals(pixel(image, x, y), colour) ? 1 : 0;
            }
        }
        return n;
    }
}
