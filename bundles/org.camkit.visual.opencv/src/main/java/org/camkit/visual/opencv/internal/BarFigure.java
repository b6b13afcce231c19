package org.camkit.visual.opencv.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.RgbImage;
import org.camkit.spi.Charts.BarPanel;

// Panels of bars with confidence whiskers, side by side under the figure's title, four to a row. Each panel has
// its own y axis from min(0, lows, values) to max(highs, values); a label keeps its colour in every panel.
final class BarFigure {
    static final int MARGIN = 12;
    /** A panel's room left of its bars, for the y axis's tick labels. */
    static final int LEFT = 64;
    static final int RIGHT = 12;
    /** The width each bar takes, its gap included. */
    static final int SLOT = 90;
    static final int BAR = 54;
    /** Panels narrower than this many slots are widened, their bars centred. */
    static final int MIN_SLOTS = 2;
    static final int PLOT_HEIGHT = 200;
    static final int PER_ROW = 4;
    private static final int MAX_TICKS = 5;
    private static final int TICK = 5;
    private static final int GAP = 6;
    private static final int CAP = 8;
    private static final int TITLE_LINES = 2;
    private static final int MIN_TITLE_WIDTH = 480;
    /** The longest label drawn slanted, in pixels; longer ones end with "...". */
    private static final int MAX_SLANTED = 150;
    private static final double SLANT = 45;
    private static final double SIN_SLANT = Math.sin(Math.toRadians(SLANT));

    private final Lettering titleFont = new Lettering(0.7);
    private final Lettering panelFont = new Lettering(0.5);
    private final Lettering labelFont = new Lettering(0.45);
    private final Lettering valueFont = new Lettering(0.42);
    private final List<BarPanel> panels;
    private final Map<String, int[]> colours = new LinkedHashMap<>();
    private final boolean slanted;
    private final boolean negative;
    private final int panelTitleLines;
    private final int labelBand;

    BarFigure(List<BarPanel> panels) {
        this.panels = panels;
        boolean slant = false;
        boolean below = false;
        int lines = 1;
        for (BarPanel panel : panels) {
            for (String label : panel.labels()) {
                colours.computeIfAbsent(label, l -> OpenCvCharts.PALETTE[colours.size() % OpenCvCharts.PALETTE.length]);
                slant |= labelFont.width(Lettering.printable(label)) > SLOT - GAP;
            }
            for (double v : panel.values()) {
                below |= v < 0;
            }
            lines = Math.max(lines, panelFont.wrap(panel.title(), width(panel) - GAP, TITLE_LINES).size());
        }
        slanted = slant;
        negative = below;
        panelTitleLines = lines;
        int longest = 0;
        for (BarPanel panel : panels) {
            for (String label : panel.labels()) {
                longest = Math.max(longest, labelFont.width(label(label)));
            }
        }
        labelBand = slanted ? (int) Math.ceil((longest + labelFont.ascent()) * SIN_SLANT) + 2 * GAP
                : labelFont.lineHeight() + GAP;
    }

    RgbImage draw(String title) {
        int rows = (panels.size() + PER_ROW - 1) / PER_ROW;
        int[] rowWidths = new int[rows];
        for (int i = 0; i < panels.size(); i++) {
            rowWidths[i / PER_ROW] += width(panels.get(i));
        }
        int content = Arrays.stream(rowWidths).max().orElseThrow();
        int width = Math.max(content, Math.min(titleFont.width(Lettering.printable(title)), MIN_TITLE_WIDTH))
                + 2 * MARGIN;
        List<String> titleLines = titleFont.wrap(title, width - 2 * MARGIN, TITLE_LINES);
        int top = MARGIN + titleLines.size() * titleFont.lineHeight() + GAP;
        try (Canvas canvas = new Canvas(width, top + rows * panelHeight() + MARGIN)) {
            for (int k = 0; k < titleLines.size(); k++) {
                String line = titleLines.get(k);
                canvas.text(line, (width - titleFont.width(line)) / 2,
                        MARGIN + titleFont.ascent() + k * titleFont.lineHeight(), titleFont, OpenCvCharts.INK);
            }
            int x = 0;
            for (int i = 0; i < panels.size(); i++) {
                int row = i / PER_ROW;
                x = i % PER_ROW == 0 ? (width - rowWidths[row]) / 2 : x;
                drawPanel(canvas, panels.get(i), x, top + row * panelHeight());
                x += width(panels.get(i));
            }
            return canvas.toImage();
        }
    }

    static int width(BarPanel panel) {
        return LEFT + Math.max(MIN_SLOTS, panel.labels().size()) * SLOT + RIGHT;
    }

    private int panelHeight() {
        return panelTitleLines * panelFont.lineHeight() + valueBand() + PLOT_HEIGHT + (negative ? valueBand() : 0)
                + labelBand;
    }

    /** Room above (and below, with negative bars) the axis for the values printed beyond the bars. */
    private int valueBand() {
        return valueFont.lineHeight() + GAP;
    }

    private String label(String label) {
        return slanted ? labelFont.fit(Lettering.printable(label), MAX_SLANTED)
                : labelFont.fit(Lettering.printable(label), SLOT - GAP);
    }

    private void drawPanel(Canvas canvas, BarPanel panel, int x, int y) {
        int width = width(panel);
        List<String> title = panelFont.wrap(panel.title(), width - GAP, TITLE_LINES);
        for (int k = 0; k < title.size(); k++) {
            String line = title.get(k);
            canvas.text(line, x + (width - panelFont.width(line)) / 2,
                    y + panelFont.ascent() + k * panelFont.lineHeight(), panelFont, OpenCvCharts.INK);
        }
        int plotLeft = x + LEFT;
        int plotRight = x + width - RIGHT;
        int plotTop = y + panelTitleLines * panelFont.lineHeight() + valueBand();
        Scale scale = Scale.of(panel, plotTop);
        for (int i = 0; i < scale.ticks.count(); i++) {
            int tickY = scale.y(scale.ticks.value(i));
            canvas.line(plotLeft + 1, tickY, plotRight, tickY, OpenCvCharts.GRID, 1);
            canvas.line(plotLeft - TICK, tickY, plotLeft, tickY, OpenCvCharts.AXIS, 1);
            String tick = scale.ticks.label(i);
            canvas.text(tick, plotLeft - TICK - 3 - valueFont.width(tick), tickY + valueFont.ascent() / 2, valueFont,
                    OpenCvCharts.MUTED);
        }
        canvas.line(plotLeft, plotTop, plotLeft, plotTop + PLOT_HEIGHT, OpenCvCharts.AXIS, 1);
        int zero = scale.y(0);
        int offset = (Math.max(MIN_SLOTS, panel.labels().size()) - panel.labels().size()) * SLOT / 2;
        int labelTop = plotTop + PLOT_HEIGHT + (negative ? valueBand() : 0) + GAP;
        for (int i = 0; i < panel.labels().size(); i++) {
            int centre = plotLeft + offset + i * SLOT + SLOT / 2;
            drawBar(canvas, scale, centre, zero, panel.values()[i], panel.low()[i], panel.high()[i],
                    colours.get(panel.labels().get(i)));
            String label = label(panel.labels().get(i));
            if (slanted) {
                canvas.turned(label, SLANT, centre, labelTop, 1, 0.5, labelFont, OpenCvCharts.INK);
            } else {
                canvas.text(label, centre - labelFont.width(label) / 2, labelTop + labelFont.ascent(), labelFont,
                        OpenCvCharts.INK);
            }
        }
        canvas.line(plotLeft, zero, plotRight, zero, OpenCvCharts.AXIS, 1);
    }

    /** The bar from 0 to {@code value}, its whisker, and its value beyond both. */
    private void drawBar(Canvas canvas, Scale scale, int centre, int zero, double value, double low, double high,
            int[] colour) {
        boolean hasValue = Double.isFinite(value);
        if (hasValue) {
            int end = scale.y(value);
            canvas.box(centre - BAR / 2, Math.min(end, zero), BAR, Math.max(1, Math.abs(end - zero)), colour);
        }
        double from = Double.isFinite(low) ? low : hasValue ? value : high;
        double to = Double.isFinite(high) ? high : hasValue ? value : low;
        if (Double.isFinite(from) && Double.isFinite(to) && from != to) {
            int fromY = scale.y(from);
            int toY = scale.y(to);
            canvas.line(centre, fromY, centre, toY, OpenCvCharts.INK, 2);
            if (Double.isFinite(low)) {
                canvas.line(centre - CAP, fromY, centre + CAP, fromY, OpenCvCharts.INK, 2);
            }
            if (Double.isFinite(high)) {
                canvas.line(centre - CAP, toY, centre + CAP, toY, OpenCvCharts.INK, 2);
            }
        }
        String text = Ticks.significant(value);
        int textX = centre - valueFont.width(text) / 2;
        if (hasValue && value < 0) {
            double bottom = Double.isFinite(from) ? Math.min(value, from) : value;
            canvas.text(text, textX, scale.y(bottom) + GAP + valueFont.ascent(), valueFont, OpenCvCharts.INK);
        } else {
            double top = Math.max(hasValue ? value : 0, Double.isFinite(to) ? to : 0);
            canvas.text(text, textX, scale.y(top) - GAP, valueFont, OpenCvCharts.INK);
        }
    }

    /** A panel's y axis: ticks enclosing 0 and every finite value and interval end, mapped to pixel rows. */
    private record Scale(Ticks ticks, int top) {

        static Scale of(BarPanel panel, int top) {
            double lo = 0;
            double hi = 0;
            for (double[] values : List.of(panel.values(), panel.low(), panel.high())) {
                for (double v : values) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (lo == hi) {
                hi = 1;
            }
            return new Scale(Ticks.covering(lo, hi, MAX_TICKS), top);
        }

        int y(double v) {
            double span = ticks.last() - ticks.first();
            return top + (int) Math.round((ticks.last() - v) / span * PLOT_HEIGHT);
        }
    }
}
