package org.camkit.demo.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Draws the demo's one-slide summary: example rows of image | biased model's map | clean model's map, and figures. */
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

    static final int CELL = 224;
    private static final int PAD = 18;
    private static final int HEADER = 104;
    private static final int COLUMN_TITLE = 40;
    private static final int CAPTION = 28;
    private static final int FOOTER = 180;
    private static final Color CREATURE_BOX = new Color(230, 0, 230);
    private static final Color DUCK_BOX = new Color(0, 200, 255);
    private static final Color RIGHT = new Color(0, 140, 60);
    private static final Color WRONG = new Color(200, 20, 20);

    private SummaryPicture() {
    }

    static BufferedImage draw(List<Example> examples, DemoRun.ModelResult biased, DemoRun.ModelResult clean,
            int count) {
        int width = PAD + 3 * (CELL + PAD);
        int rowHeight = CELL + CAPTION + PAD / 2;
        int height = HEADER + COLUMN_TITLE + examples.size() * rowHeight + FOOTER;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            header(g, width);
            int y = HEADER;
            String[] titles = {"held-out image (truth)", biased.model() + " (duck-biased data)",
                clean.model() + " (clean data)"};
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            for (int c = 0; c < 3; c++) {
                centred(g, titles[c], x(c) + CELL / 2, y + 26);
            }
            y += COLUMN_TITLE;
            for (Example e : examples) {
                row(g, e, y);
                y += rowHeight;
            }
            footer(g, y, biased, clean, count);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void header(Graphics2D g, int width) {
        g.setColor(new Color(30, 40, 60));
        g.fillRect(0, 0, width, HEADER - 12);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
        g.drawString("Grad-CAM exposes a biased training set", PAD, 38);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString("demo-biased learnt from pictures with a rubber duck beside every charmander;", PAD, 62);
        g.drawString("demo-clean from pictures with ducks at random. Every held-out picture has a duck.", PAD, 80);
    }

    private static void row(Graphics2D g, Example e, int y) {
        Scene scene = e.scene();
        int size = scene.image().width();
        double scale = (double) CELL / size;
        g.drawImage(Images.toBuffered(scene.image()), x(0), y, CELL, CELL, null);
        g.setStroke(new BasicStroke(2f));
        box(g, scene.creature(), x(0), y, scale, CREATURE_BOX);
        scene.duck().ifPresent(d -> box(g, d, x(0), y, scale, DUCK_BOX));
        g.drawImage(e.biasedOverlay(), x(1), y, CELL, CELL, null);
        g.drawImage(e.cleanOverlay(), x(2), y, CELL, CELL, null);
        String truth = SceneGenerator.LABELS.get(scene.label());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(Color.DARK_GRAY);
        centred(g, truth + (scene.duck().isPresent() ? " + duck" : ""), x(0) + CELL / 2, y + CELL + 19);
        prediction(g, e.biasedPredicted(), truth, x(1), y + CELL + 19);
        prediction(g, e.cleanPredicted(), truth, x(2), y + CELL + 19);
    }

    private static void prediction(Graphics2D g, String predicted, String truth, int x, int baseline) {
        boolean right = predicted.equals(truth);
        g.setColor(right ? RIGHT : WRONG);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        centred(g, "predicts " + predicted + (right ? " (right)" : " (wrong)"), x + CELL / 2, baseline);
    }

    private static void footer(Graphics2D g, int y, DemoRun.ModelResult biased, DemoRun.ModelResult clean,
            int count) {
        g.setColor(new Color(240, 242, 246));
        g.fillRect(0, y, PAD + 3 * (CELL + PAD), FOOTER);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format(Locale.ROOT, "Over %d held-out pictures (box: magenta creature, cyan duck)",
                count), PAD, y + 26);
        int line = y + 52;
        for (DemoRun.ModelResult r : List.of(biased, clean)) {
            StoryTally.Figures f = r.figures();
            g.setColor(r.passed() ? RIGHT : WRONG);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString((r.passed() ? "PASS  " : "FAIL  ") + r.model(), PAD, line);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(String.format(Locale.ROOT, "map peaks on the duck in %s, on the creature in %s",
                    DemoReport.pct(f.duckPeak()), DemoReport.pct(f.creaturePeak())), PAD + 165, line);
            g.drawString(String.format(Locale.ROOT, "accuracy %s; bulbasaurs with a duck predicted right: %s",
                    DemoReport.pct(f.accuracy()), DemoReport.pct(f.accuracyClass1())), PAD + 165, line + 20);
            line += 46;
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 13));
        g.drawString(biased.passed() && clean.passed()
                ? "The biased model's evidence is the duck, not the creature: fix the data, not the model."
                : "The maps do not tell the expected story: check the models and the layer.", PAD, line + 12);
    }

    private static void box(Graphics2D g, Box b, int x0, int y0, double scale, Color color) {
        g.setColor(color);
        g.drawRect(x0 + (int) Math.round(b.x() * scale), y0 + (int) Math.round(b.y() * scale),
                (int) Math.round(b.width() * scale), (int) Math.round(b.height() * scale));
    }

    private static void centred(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    private static int x(int column) {
        return PAD + column * (CELL + PAD);
    }
}
