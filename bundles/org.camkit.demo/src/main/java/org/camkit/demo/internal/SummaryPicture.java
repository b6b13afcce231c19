package org.camkit.demo.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the demo's one-slide summary: example rows of image | biased model's map | clean model's map, and figures.
 * Every text is measured before it is placed: one too wide for its column or line is set smaller, and cut with
 * "..." only when even the smallest size is too wide, so that texts never run into each other or off the picture,
 * whatever the model names.
 */
final class SummaryPicture {

    /**
     * One row.
     *
     * @param scene           the held-out scene
     * @param biasedOverlay   the biased model's rendered map
     * @param biasedPredicted the biased model's predicted label
     * @param cleanOverlay    the clean model's rendered map
     * @param cleanPredicted  the clean model's predicted label
     */
    record Example(Scene scene, BufferedImage biasedOverlay, String biasedPredicted, BufferedImage cleanOverlay,
            String cleanPredicted) {
    }

    /**
     * A text placed on the picture.
     *
     * @param text     what it says
     * @param font     its font, perhaps smaller than asked for, so that it fits
     * @param color    its colour
     * @param x        where its baseline starts
     * @param baseline its baseline
     */
    record Text(String text, Font font, Color color, float x, float baseline) {
        /** @return the box it takes: its advance width by its font's ascent, descent and leading */
        Rectangle2D bounds() {
            Rectangle2D logical = font.getStringBounds(text, FRC);
            return new Rectangle2D.Double(x + logical.getX(), baseline + logical.getY(), logical.getWidth(),
                    logical.getHeight());
        }
    }

    /**
     * Where everything goes.
     *
     * @param width     the picture's width
     * @param height    the picture's height
     * @param rowTops   the top of each example row's pictures
     * @param footerTop where the band with the figures starts
     * @param texts     every text
     */
    record Layout(int width, int height, List<Integer> rowTops, int footerTop, List<Text> texts) {
        /** @return the square of every picture of every row */
        List<Rectangle> cells() {
            List<Rectangle> cells = new ArrayList<>();
            for (int top : rowTops) {
                for (int column = 0; column < 3; column++) {
                    cells.add(new Rectangle(x(column), top, CELL, CELL));
                }
            }
            return cells;
        }
    }

    static final int CELL = 224;
    private static final int PAD = 18;
    private static final int HEADER = 92;
    private static final int INDENT = 24;
    /** The smallest font size a text is set in to fit; below it, the text is cut. */
    private static final float MIN_SIZE = 9f;
    private static final String ELLIPSIS = "...";
    /** Antialiased text without fractional metrics: the context {@link #draw} sets on its graphics. */
    private static final FontRenderContext FRC = new FontRenderContext(null, true, false);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 24);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font COLUMN = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font COLUMN_NOTE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font PREDICTION = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font FIGURES_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font VERDICT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font FIGURE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font MORAL = new Font(Font.SANS_SERIF, Font.ITALIC, 13);
    private static final Color HEADER_BAND = new Color(30, 40, 60);
    private static final Color FOOTER_BAND = new Color(240, 242, 246);
    private static final Color CREATURE_BOX = new Color(230, 0, 230);
    private static final Color DUCK_BOX = new Color(0, 200, 255);
    private static final Color RIGHT = new Color(0, 140, 60);
    private static final Color WRONG = new Color(200, 20, 20);

    private SummaryPicture() {
    }

    static BufferedImage draw(List<Example> examples, DemoRun.ModelResult biased, DemoRun.ModelResult clean,
            int count) {
        Layout layout = layout(examples, biased, clean, count);
        BufferedImage out = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.width(), layout.height());
            g.setColor(HEADER_BAND);
            g.fillRect(0, 0, layout.width(), HEADER);
            g.setColor(FOOTER_BAND);
            g.fillRect(0, layout.footerTop(), layout.width(), layout.height() - layout.footerTop());
            for (int i = 0; i < examples.size(); i++) {
                pictures(g, examples.get(i), layout.rowTops().get(i));
            }
            for (Text text : layout.texts()) {
                g.setFont(text.font());
                g.setColor(text.color());
                g.drawString(text.text(), text.x(), text.baseline());
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Places every text, top to bottom, each fitted to its column or line. */
    static Layout layout(List<Example> examples, DemoRun.ModelResult biased, DemoRun.ModelResult clean, int count) {
        int width = PAD + 3 * (CELL + PAD);
        float line = width - 2 * PAD;
        List<Text> texts = new ArrayList<>();
        float y = 14;
        y = left(texts, "Grad-CAM exposes a biased training set", TITLE, Color.WHITE, PAD, y, line) + 8;
        y = left(texts, "demo-biased learnt from pictures with a rubber duck beside every charmander;", SUBTITLE,
                Color.WHITE, PAD, y, line) + 2;
        left(texts, "demo-clean from pictures with ducks at random. Every held-out picture has a duck.", SUBTITLE,
                Color.WHITE, PAD, y, line);

        y = HEADER + 10;
        String[][] titles = {{"held-out image", "(truth)"}, {biased.model(), "(duck-biased data)"},
            {clean.model(), "(clean data)"}};
        float notes = 0;
        for (int c = 0; c < 3; c++) {
            float below = centred(texts, titles[c][0], COLUMN, Color.BLACK, c, y) + 1;
            notes = centred(texts, titles[c][1], COLUMN_NOTE, Color.DARK_GRAY, c, below);
        }
        y = notes + 8;

        List<Integer> rowTops = new ArrayList<>();
        for (Example e : examples) {
            int top = Math.round(y);
            rowTops.add(top);
            String truth = SceneGenerator.LABELS.get(e.scene().label());
            float below = top + CELL + 4;
            centred(texts, truth + (e.scene().duck().isPresent() ? " + duck" : ""), CAPTION, Color.DARK_GRAY, 0,
                    below);
            prediction(texts, e.biasedPredicted(), truth, 1, below);
            y = prediction(texts, e.cleanPredicted(), truth, 2, below) + PAD / 2f;
        }

        int footerTop = Math.round(y);
        y = footerTop + 10;
        y = left(texts, String.format(Locale.ROOT, "Over %d held-out pictures (box: magenta creature, cyan duck)",
                count), FIGURES_TITLE, Color.BLACK, PAD, y, line) + 8;
        for (DemoRun.ModelResult r : List.of(biased, clean)) {
            StoryTally.Figures f = r.figures();
            y = left(texts, (r.passed() ? "PASS  " : "FAIL  ") + r.model(), VERDICT, r.passed() ? RIGHT : WRONG,
                    PAD, y, line) + 2;
            y = left(texts, String.format(Locale.ROOT, "map peaks on the duck in %s, on the creature in %s",
                    DemoReport.pct(f.duckPeak()), DemoReport.pct(f.creaturePeak())), FIGURE, Color.BLACK,
                    PAD + INDENT, y, line - INDENT) + 2;
            y = left(texts, String.format(Locale.ROOT, "accuracy %s; bulbasaurs with a duck predicted right: %s",
                    DemoReport.pct(f.accuracy()), DemoReport.pct(f.accuracyClass1())), FIGURE, Color.BLACK,
                    PAD + INDENT, y, line - INDENT) + 8;
        }
        y = left(texts, biased.passed() && clean.passed()
                ? "The biased model's evidence is the duck, not the creature: fix the data, not the model."
                : "The maps do not tell the expected story: check the models and the layer.", MORAL,
                Color.DARK_GRAY, PAD, y + 4, line);
        return new Layout(width, (int) Math.ceil(y) + PAD, List.copyOf(rowTops), footerTop, List.copyOf(texts));
    }

    private static float prediction(List<Text> texts, String predicted, String truth, int column, float top) {
        boolean right = predicted.equals(truth);
        return centred(texts, "predicts " + predicted + (right ? " (right)" : " (wrong)"), PREDICTION,
                right ? RIGHT : WRONG, column, top);
    }

    /** Adds a text starting at {@code x} below {@code top}, fitted to {@code maxWidth}; returns its bottom. */
    private static float left(List<Text> texts, String text, Font font, Color color, float x, float top,
            float maxWidth) {
        Fitted fitted = fit(text, font, maxWidth);
        float baseline = top + metrics(font).getAscent();
        texts.add(new Text(fitted.text(), fitted.font(), color, x, baseline));
        return baseline + metrics(font).getDescent();
    }

    /** Adds a text centred on a column below {@code top}, fitted to the column's width; returns its bottom. */
    private static float centred(List<Text> texts, String text, Font font, Color color, int column, float top) {
        Fitted fitted = fit(text, font, CELL);
        float baseline = top + metrics(font).getAscent();
        texts.add(new Text(fitted.text(), fitted.font(), color, x(column) + (CELL - fitted.width()) / 2, baseline));
        return baseline + metrics(font).getDescent();
    }

    /** A text and the font that makes it fit. */
    private record Fitted(String text, Font font) {
        float width() {
            return (float) SummaryPicture.width(text, font);
        }
    }

    /**
     * @return the text in {@code font}, or in the largest smaller size down to {@link #MIN_SIZE} that fits
     *         {@code maxWidth}; at that size, cut with "..." until it fits
     */
    private static Fitted fit(String text, Font font, float maxWidth) {
        Font size = font;
        while (width(text, size) > maxWidth && size.getSize2D() > MIN_SIZE) {
            size = size.deriveFont(Math.max(MIN_SIZE, size.getSize2D() - 1));
        }
        String cut = text;
        for (int keep = text.length() - 1; keep >= 0 && width(cut, size) > maxWidth; keep--) {
            cut = text.substring(0, keep).stripTrailing() + ELLIPSIS;
        }
        return new Fitted(cut, size);
    }

    private static double width(String text, Font font) {
        return font.getStringBounds(text, FRC).getWidth();
    }

    private static LineMetrics metrics(Font font) {
        return font.getLineMetrics("Ag", FRC);
    }

    private static void pictures(Graphics2D g, Example e, int y) {
        Scene scene = e.scene();
        double scale = (double) CELL / scene.image().width();
        g.drawImage(Images.toBuffered(scene.image()), x(0), y, CELL, CELL, null);
        g.setStroke(new BasicStroke(2f));
        box(g, scene.creature(), x(0), y, scale, CREATURE_BOX);
        scene.duck().ifPresent(d -> box(g, d, x(0), y, scale, DUCK_BOX));
        g.drawImage(e.biasedOverlay(), x(1), y, CELL, CELL, null);
        g.drawImage(e.cleanOverlay(), x(2), y, CELL, CELL, null);
    }

    private static void box(Graphics2D g, Box b, int x0, int y0, double scale, Color color) {
        g.setColor(color);
        g.drawRect(x0 + (int) Math.round(b.x() * scale), y0 + (int) Math.round(b.y() * scale),
                (int) Math.round(b.width() * scale), (int) Math.round(b.height() * scale));
    }

    private static int x(int column) {
        return PAD + column * (CELL + PAD);
    }
}
