package org.camkit.demo.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Draws seeded cartoon scenes: a cluttered background, one creature of class 0 (a lizard with a flame on its tail)
 * or class 1 (a round creature with a bulb on its back), and optionally a small yellow rubber duck that never comes
 * closer to the creature than {@link #gap()}. Both creatures take their colour from one shared palette (orange,
 * green, red, blue, ...), so only their shape tells them apart, while the duck is the only yellow thing in a scene:
 * the duck is the easier cue, which is what lets a biased training set teach a shortcut. The same seed, size and
 * arguments always give the same pixels; a scene with and without its duck differs only where the duck is drawn.
 */
public final class SceneGenerator {

    /** Class 0: the lizard with the flame tail. */
    public static final int CHARMANDER = 0;
    /** Class 1: the round creature with the bulb. */
    public static final int BULBASAUR = 1;
    /** Class labels by index. */
    public static final List<String> LABELS = List.of("charmander", "bulbasaur");
    /** The duck's category name in annotations (the models have no class for it). */
    public static final String DUCK = "duck";

    private static final int ALPHA_THRESHOLD = 40;
    private static final float DUCK_HUE_LOW = 0.10f;
    private static final float DUCK_HUE_HIGH = 0.20f;

    private static final List<Color> CREATURE_PALETTE = List.of(new Color(240, 128, 40), new Color(100, 196, 160),
            new Color(210, 70, 60), new Color(80, 130, 210), new Color(150, 100, 200), new Color(230, 130, 170),
            new Color(160, 110, 70), new Color(90, 170, 70));

    private final int size;
    private final int gap;

    /** @param size the side of the square pictures in pixels, at least 48 */
    public SceneGenerator(int size) {
        if (size < 48) {
            throw new IllegalArgumentException("scene size must be at least 48 pixels, got " + size);
        }
        this.size = size;
        this.gap = size / 12;
    }

    /** @return the pixels kept free between the duck's box and the creature's box: a twelfth of the size */
    public int gap() {
        return gap;
    }

    /** @return the side of the pictures in pixels */
    public int size() {
        return size;
    }

    /**
     * @param seed     the scene's seed
     * @param label    {@link #CHARMANDER} or {@link #BULBASAUR}
     * @param withDuck whether to draw the duck
     * @return the scene
     */
    public Scene scene(long seed, int label, boolean withDuck) {
        if (label != CHARMANDER && label != BULBASAUR) {
            throw new IllegalArgumentException("label must be 0 (charmander) or 1 (bulbasaur), got " + label);
        }
        Random layout = new Random(seed);
        Random noise = new Random(seed ^ 0x5DEECE66DL);
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            smooth(g);
            background(g, layout);
            Layer creature = label == CHARMANDER ? charmander(layout) : bulbasaur(layout);
            Layer duck = duck(layout);
            Placement placement = place(creature.box, duck.box, layout);
            g.drawImage(creature.pixels, placement.creatureDx, placement.creatureDy, null);
            Box creatureBox = creature.box.translate(placement.creatureDx, placement.creatureDy);
            Box duckBox = duck.box.translate(placement.duckDx, placement.duckDy);
            if (withDuck) {
                g.drawImage(duck.pixels, placement.duckDx, placement.duckDy, null);
            }
            addNoise(canvas, noise, 4 + 4 * layout.nextDouble());
            return new Scene(Images.fromBuffered(canvas), label, creatureBox,
                    withDuck ? Optional.of(duckBox) : Optional.empty());
        } finally {
            g.dispose();
        }
    }

    /** A drawn object on a transparent canvas of the scene's size, with the box of its opaque pixels. */
    private record Layer(BufferedImage pixels, Box box) {
    }

    /** Offsets that move the creature and duck layers to their places. */
    private record Placement(int creatureDx, int creatureDy, int duckDx, int duckDy) {
    }

    private Placement place(Box creature, Box duck, Random random) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int cdx = random.nextInt(size - creature.width() + 1) - creature.x();
            int cdy = random.nextInt(size - creature.height() + 1) - creature.y();
            Box placed = creature.translate(cdx, cdy).grow(gap);
            List<int[]> free = new ArrayList<>();
            for (int y = 0; y + duck.height() <= size; y += 2) {
                for (int x = 0; x + duck.width() <= size; x += 2) {
                    if (!placed.intersects(new Box(x, y, duck.width(), duck.height()))) {
                        free.add(new int[] {x, y});
                    }
                }
            }
            if (!free.isEmpty()) {
                int[] spot = free.get(random.nextInt(free.size()));
                return new Placement(cdx, cdy, spot[0] - duck.x(), spot[1] - duck.y());
            }
        }
        throw new IllegalStateException("no room for a duck beside the creature in a " + size + " px scene");
    }

    private void background(Graphics2D g, Random random) {
        Color a = backgroundColor(random);
        Color b = backgroundColor(random);
        float angle = (float) (random.nextDouble() * 2 * Math.PI);
        float cx = size / 2f;
        float dx = (float) Math.cos(angle) * size / 2f;
        float dy = (float) Math.sin(angle) * size / 2f;
        g.setPaint(new GradientPaint(cx - dx, cx - dy, a, cx + dx, cx + dy, b));
        g.fill(new Rectangle2D.Float(0, 0, size, size));
        int shapes = 4 + random.nextInt(7);
        for (int i = 0; i < shapes; i++) {
            g.setColor(shapeColor(random));
            float w = size * (0.08f + 0.3f * random.nextFloat());
            float h = size * (0.08f + 0.3f * random.nextFloat());
            float x = random.nextFloat() * size - w / 2;
            float y = random.nextFloat() * size - h / 2;
            switch (random.nextInt(4)) {
                case 0 -> g.fill(new Ellipse2D.Float(x, y, w, h));
                case 1 -> g.fill(new Rectangle2D.Float(x, y, w, h));
                case 2 -> {
                    Path2D.Float triangle = new Path2D.Float();
                    triangle.moveTo(x + random.nextFloat() * w, y);
                    triangle.lineTo(x + w, y + h);
                    triangle.lineTo(x, y + h * random.nextFloat());
                    triangle.closePath();
                    g.fill(triangle);
                }
                default -> {
                    g.setStroke(new BasicStroke(1 + size * 0.03f * random.nextFloat(), BasicStroke.CAP_ROUND,
                            BasicStroke.JOIN_ROUND));
                    g.draw(new QuadCurve2D.Float(x, y, x + random.nextFloat() * w, y - h, x + w, y + h));
                }
            }
        }
    }

    private static Color backgroundColor(Random random) {
        return Color.getHSBColor(avoidDuckHue(random), 0.1f + 0.45f * random.nextFloat(),
                0.45f + 0.5f * random.nextFloat());
    }

    private static Color shapeColor(Random random) {
        return Color.getHSBColor(avoidDuckHue(random), 0.2f + 0.7f * random.nextFloat(),
                0.3f + 0.65f * random.nextFloat());
    }

    /** Background hues skip the duck's yellow, so that only the duck is yellow. */
    private static float avoidDuckHue(Random random) {
        float hue = random.nextFloat() * (1 - (DUCK_HUE_HIGH - DUCK_HUE_LOW));
        return hue < DUCK_HUE_LOW ? hue : hue + (DUCK_HUE_HIGH - DUCK_HUE_LOW);
    }

    private Layer charmander(Random random) {
        float width = size * (0.38f + 0.14f * random.nextFloat());
        Color body = jitter(creatureColor(random), random);
        Color belly = jitter(mix(body, Color.WHITE, 0.55f), random);
        Color flameOut = jitter(new Color(235, 60, 30), random);
        Color flameIn = jitter(new Color(255, 160, 70), random);
        return layer(random, width / 80f, g -> {
            g.setColor(body);
            g.setStroke(new BasicStroke(7, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Float(-14, 22, -40, 24, -40, -8));
            g.fill(new Ellipse2D.Float(-18, -10, 36, 44));
            g.fill(new Ellipse2D.Float(-17, 28, 14, 9));
            g.fill(new Ellipse2D.Float(5, 28, 14, 9));
            g.fill(new Ellipse2D.Float(10, 0, 14, 7));
            g.fill(new Ellipse2D.Float(-9, -40, 34, 32));
            g.setColor(belly);
            g.fill(new Ellipse2D.Float(-6, 0, 20, 28));
            g.setColor(flameOut);
            g.fill(flame(-40, -10, 11, 22));
            g.setColor(flameIn);
            g.fill(flame(-40, -12, 6, 12));
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Float(10, -32, 9, 12));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Float(13, -29, 5, 8));
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Arc2D.Float(8, -22, 14, 8, 200, 140, Arc2D.OPEN));
        });
    }

    private Layer bulbasaur(Random random) {
        float width = size * (0.40f + 0.14f * random.nextFloat());
        Color body = jitter(creatureColor(random), random);
        Color spots = mix(body, Color.BLACK, 0.35f);
        Color bulb = jitter(mix(body, Color.BLACK, 0.25f), random);
        Color leaf = mix(bulb, Color.BLACK, 0.35f);
        return layer(random, width / 80f, g -> {
            g.setColor(body);
            g.fill(new Ellipse2D.Float(-34, -4, 60, 34));
            for (int x : new int[] {-30, -16, 2, 16}) {
                g.fill(new Ellipse2D.Float(x, 20, 12, 14));
            }
            g.fill(new Ellipse2D.Float(8, -22, 36, 30));
            Path2D.Float ears = new Path2D.Float();
            ears.moveTo(12, -14);
            ears.lineTo(14, -30);
            ears.lineTo(22, -20);
            ears.moveTo(32, -20);
            ears.lineTo(42, -28);
            ears.lineTo(41, -12);
            g.fill(ears);
            g.setColor(spots);
            g.fill(new Ellipse2D.Float(-24, 10, 9, 6));
            g.fill(new Ellipse2D.Float(-8, 16, 7, 5));
            g.fill(new Ellipse2D.Float(22, -16, 7, 5));
            g.setColor(bulb);
            Path2D.Float shape = new Path2D.Float();
            shape.moveTo(-32, 2);
            shape.curveTo(-36, -22, -18, -36, -10, -42);
            shape.curveTo(-2, -36, 14, -22, 8, 2);
            shape.closePath();
            g.fill(shape);
            g.setColor(leaf);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Float(-10, -40, -20, -18, -24, 0));
            g.draw(new QuadCurve2D.Float(-10, -40, -2, -18, 2, 0));
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Float(17, -14, 8, 8));
            g.fill(new Ellipse2D.Float(31, -14, 8, 8));
            g.setColor(new Color(200, 40, 40));
            g.fill(new Ellipse2D.Float(19, -12, 5, 6));
            g.fill(new Ellipse2D.Float(33, -12, 5, 6));
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Arc2D.Float(20, -6, 16, 8, 200, 140, Arc2D.OPEN));
        });
    }

    private Layer duck(Random random) {
        float width = size * (0.22f + 0.05f * random.nextFloat());
        Color body = jitter(new Color(255, 214, 30), random);
        Color wing = jitter(new Color(230, 180, 20), random);
        Color beak = jitter(new Color(250, 120, 20), random);
        return layer(random, width / 40f, g -> {
            g.setColor(body);
            g.fill(new Ellipse2D.Float(-18, -4, 34, 22));
            g.fill(new Ellipse2D.Float(-2, -18, 18, 18));
            Path2D.Float tail = new Path2D.Float();
            tail.moveTo(-18, 4);
            tail.lineTo(-22, -6);
            tail.lineTo(-10, 0);
            g.fill(tail);
            g.setColor(wing);
            g.fill(new Ellipse2D.Float(-10, 2, 16, 9));
            g.setColor(beak);
            g.fill(new Ellipse2D.Float(13, -11, 10, 6));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Float(8, -13, 3.5f, 3.5f));
        });
    }

    /** Both classes draw their body colour from one palette: colour never gives the class away, shape does. */
    private static Color creatureColor(Random random) {
        return CREATURE_PALETTE.get(random.nextInt(CREATURE_PALETTE.size()));
    }

    private static Color mix(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    private static Path2D.Float flame(float cx, float cy, float w, float h) {
        Path2D.Float p = new Path2D.Float();
        p.moveTo(cx, cy - h / 2);
        p.curveTo(cx + w / 2, cy - h / 6, cx + w / 2, cy + h / 2, cx, cy + h / 2);
        p.curveTo(cx - w / 2, cy + h / 2, cx - w / 2, cy - h / 6, cx, cy - h / 2);
        p.closePath();
        return p;
    }

    /** Draws {@code drawing} (model units, centred on the origin) scaled, rotated and maybe mirrored. */
    private Layer layer(Random random, float scale, java.util.function.Consumer<Graphics2D> drawing) {
        double rotation = Math.toRadians(-15 + 30 * random.nextDouble());
        boolean mirror = random.nextBoolean();
        BufferedImage pixels = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = pixels.createGraphics();
        try {
            smooth(g);
            AffineTransform t = new AffineTransform();
            t.translate(size / 2.0, size / 2.0);
            t.rotate(rotation);
            t.scale(mirror ? -scale : scale, scale);
            g.transform(t);
            drawing.accept(g);
        } finally {
            g.dispose();
        }
        return new Layer(pixels, opaqueBounds(pixels));
    }

    private Box opaqueBounds(BufferedImage pixels) {
        int minX = size;
        int minY = size;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if ((pixels.getRGB(x, y) >>> 24) >= ALPHA_THRESHOLD) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            throw new IllegalStateException("an object drew no pixels in a " + size + " px scene");
        }
        return new Box(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    private static Color jitter(Color c, Random random) {
        float[] hsb = Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null);
        float hue = hsb[0] + 0.03f * (2 * random.nextFloat() - 1);
        float saturation = clamp(hsb[1] * (0.85f + 0.25f * random.nextFloat()));
        float brightness = clamp(hsb[2] * (0.8f + 0.3f * random.nextFloat()));
        return Color.getHSBColor(hue - (float) Math.floor(hue), saturation, brightness);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static void smooth(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }

    private void addNoise(BufferedImage canvas, Random random, double sigma) {
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            canvas.getRGB(0, y, size, 1, row, 0, size);
            for (int x = 0; x < size; x++) {
                int p = row[x];
                int r = channel((p >> 16) & 0xFF, random, sigma);
                int gr = channel((p >> 8) & 0xFF, random, sigma);
                int b = channel(p & 0xFF, random, sigma);
                row[x] = (r << 16) | (gr << 8) | b;
            }
            canvas.setRGB(0, y, size, 1, row, 0, size);
        }
    }

    private static int channel(int value, Random random, double sigma) {
        return (int) Math.max(0, Math.min(255, Math.round(value + sigma * random.nextGaussian())));
    }
}
