package org.camkit.visual.opencv.internal;

import java.util.List;
import org.camkit.api.RgbImage;
import org.camkit.spi.Charts.Series;

// Curves on shared axes with a legend to their right: x from the smallest to the largest abscissa, y from
// min(0, values) to max(1, values), as suits probabilities. A point with a NaN breaks its curve.
final class CurveChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 420;
    private static final int MARGIN = 12;
    private static final int GAP = 6;
    private static final int TICK = 5;
    private static final int MAX_X_TICKS = 7;
    private static final int MAX_Y_TICKS = 6;
    private static final int SWATCH = 22;
    private static final int MAX_NAME = 150;
    private static final int LINE = 2;

    private final Lettering titleFont = new Lettering(0.6);
    private final Lettering axisFont = new Lettering(0.45);
    private final Lettering tickFont = new Lettering(0.42);
    private final List<Series> series;
    private final double xLo;
    private final double xHi;
    private final double yLo;
    private final double yHi;

    CurveChart(List<Series> series) {
        this.series = series;
        double[] x = range(series, true);
        double[] y = range(series, false);
        if (Double.isNaN(x[0])) {
            x = new double[] {0, 1};
        } else if (x[0] == x[1]) {
            x = new double[] {x[0] - 0.5, x[0] + 0.5};
        }
        xLo = x[0];
        xHi = x[1];
        yLo = Double.isNaN(y[0]) ? 0 : Math.min(0, y[0]);
        yHi = Double.isNaN(y[1]) ? 1 : Math.max(1, y[1]);
    }

    /** Where the axes meet and end: the plot's box, right and bottom edges included. */
    record Frame(int left, int top, int right, int bottom) {
    }

    Frame frame() {
        Ticks yTicks = yTicks();
        int widest = 0;
        for (int i = 0; i < yTicks.count(); i++) {
            widest = Math.max(widest, tickFont.width(yTicks.label(i)));
        }
        int left = MARGIN + axisFont.lineHeight() + GAP + widest + TICK + 3;
        int top = MARGIN + titleFont.lineHeight() + 2 * GAP;
        int right = WIDTH - MARGIN - legendWidth() - 2 * GAP;
        int bottom = HEIGHT - MARGIN - axisFont.lineHeight() - GAP - tickFont.lineHeight() - TICK;
        return new Frame(left, top, right, bottom);
    }

    RgbImage draw(String title, String xLabel, String yLabel) {
        Frame f = frame();
        try (Canvas canvas = new Canvas(WIDTH, HEIGHT)) {
            String heading = titleFont.fit(Lettering.printable(title), WIDTH - 2 * MARGIN);
            canvas.text(heading, (WIDTH - titleFont.width(heading)) / 2, MARGIN + titleFont.ascent(), titleFont,
                    OpenCvCharts.INK);
            Ticks xTicks = Ticks.within(xLo, xHi, MAX_X_TICKS);
            for (int i = 0; i < xTicks.count(); i++) {
                int x = (int) Math.round(x(f, xTicks.value(i)));
                canvas.line(x, f.top(), x, f.bottom() - 1, OpenCvCharts.GRID, 1);
                canvas.line(x, f.bottom(), x, f.bottom() + TICK, OpenCvCharts.AXIS, 1);
                String label = xTicks.label(i);
                canvas.text(label, x - tickFont.width(label) / 2, f.bottom() + TICK + 3 + tickFont.ascent(), tickFont,
                        OpenCvCharts.MUTED);
            }
            Ticks yTicks = yTicks();
            for (int i = 0; i < yTicks.count(); i++) {
                int y = (int) Math.round(y(f, yTicks.value(i)));
                canvas.line(f.left() + 1, y, f.right(), y, OpenCvCharts.GRID, 1);
                canvas.line(f.left() - TICK, y, f.left(), y, OpenCvCharts.AXIS, 1);
                String label = yTicks.label(i);
                canvas.text(label, f.left() - TICK - 3 - tickFont.width(label), y + tickFont.ascent() / 2, tickFont,
                        OpenCvCharts.MUTED);
            }
            canvas.line(f.left(), f.top(), f.left(), f.bottom(), OpenCvCharts.AXIS, 1);
            canvas.line(f.left(), f.bottom(), f.right(), f.bottom(), OpenCvCharts.AXIS, 1);
            String xText = axisFont.fit(Lettering.printable(xLabel), f.right() - f.left());
            canvas.text(xText, (f.left() + f.right() - axisFont.width(xText)) / 2, HEIGHT - MARGIN, axisFont,
                    OpenCvCharts.INK);
            String yText = axisFont.fit(Lettering.printable(yLabel), f.bottom() - f.top());
            canvas.turned(yText, 90, MARGIN, (f.top() + f.bottom()) / 2.0, 0.5, 0, axisFont, OpenCvCharts.INK);
            for (int s = 0; s < series.size(); s++) {
                drawSeries(canvas, f, series.get(s), colour(s));
            }
            drawLegend(canvas, f);
            return canvas.toImage();
        }
    }

    static int[] colour(int series) {
        return OpenCvCharts.PALETTE[series % OpenCvCharts.PALETTE.length];
    }

    /** Each run of finite points as one polyline; a point alone between gaps as a dot. */
    private void drawSeries(Canvas canvas, Frame f, Series s, int[] colour) {
        double[] xs = new double[s.x().length];
        double[] ys = new double[s.x().length];
        int run = 0;
        for (int i = 0; i <= s.x().length; i++) {
            boolean finite = i < s.x().length && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
            if (finite) {
                xs[run] = x(f, s.x()[i]);
                ys[run] = y(f, s.y()[i]);
                run++;
            } else if (run > 0) {
                if (run == 1) {
                    canvas.dot(xs[0], ys[0], LINE, colour);
                } else {
                    canvas.polyline(xs, ys, run, colour, LINE);
                }
                run = 0;
            }
        }
    }

    /** A box right of the plot: per series a short line in its colour and its name. */
    private void drawLegend(Canvas canvas, Frame f) {
        int x = f.right() + 2 * GAP;
        int row = tickFont.lineHeight() + GAP / 2;
        canvas.outline(x, f.top(), legendWidth(), series.size() * row + GAP, OpenCvCharts.GRID);
        for (int s = 0; s < series.size(); s++) {
            int baseline = f.top() + GAP / 2 + s * row + (row + tickFont.ascent()) / 2;
            int middle = baseline - tickFont.ascent() / 2;
            canvas.line(x + GAP, middle, x + GAP + SWATCH, middle, colour(s), 3);
            canvas.text(name(s), x + 2 * GAP + SWATCH, baseline, tickFont, OpenCvCharts.INK);
        }
    }

    private int legendWidth() {
        int widest = 0;
        for (int s = 0; s < series.size(); s++) {
            widest = Math.max(widest, tickFont.width(name(s)));
        }
        return 3 * GAP + SWATCH + widest;
    }

    private String name(int s) {
        return tickFont.fit(Lettering.printable(series.get(s).name()), MAX_NAME);
    }

    private Ticks yTicks() {
        return Ticks.within(yLo, yHi, MAX_Y_TICKS);
    }

    private double x(Frame f, double v) {
        return f.left() + (v - xLo) / (xHi - xLo) * (f.right() - f.left());
    }

    private double y(Frame f, double v) {
        return f.bottom() - (v - yLo) / (yHi - yLo) * (f.bottom() - f.top());
    }

    /** @return {min, max} of the finite abscissae (or values), NaN when there are none */
    private static double[] range(List<Series> series, boolean abscissae) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double v = abscissae ? s.x()[i] : s.y()[i];
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    lo = Double.isNaN(lo) ? v : Math.min(lo, v);
                    hi = Double.isNaN(hi) ? v : Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }
}
