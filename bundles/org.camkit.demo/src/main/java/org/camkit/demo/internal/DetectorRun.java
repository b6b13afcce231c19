package org.camkit.demo.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.camkit.api.CamException;
import org.camkit.api.Detection;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.RgbImage;
import org.camkit.spi.DetectionLayout;

/**
 * The detector section of the demo ({@code cam:demo --detector}): on held-out scenes, the demo detector must find
 * the creature and the duck, and Grad-CAM through the detection target for each found box must peak inside that
 * box; writes a picture per object (the {@code boxes} visualizer) for the first scenes and a summary grid.
 */
public final class DetectorRun {

    /** The demo's detector, trained by {@code tools/camkit-export/detector.py} on the demo's scenes. */
    public static final String DETECTOR = "demo-detector";
    /** The IoU with the true box a detection needs to count as finding the object. */
    static final double FOUND_IOU = 0.5;
    /** The CAM method explained. */
    static final String METHOD = "gradcam";

    private final Explainer explainer;
    private final Consumer<String> progress;

    /**
     * @param explainer detects, explains and renders
     * @param progress  receives a line per quarter of the scenes
     */
    public DetectorRun(Explainer explainer, Consumer<String> progress) {
        this.explainer = explainer;
        this.progress = progress;
    }

    /**
     * One object of one scene.
     *
     * @param found  whether a detection of the right label overlaps its true box with IoU at least
     *               {@value #FOUND_IOU}
     * @param inside whether Grad-CAM for that detection peaks inside the detected box
     */
    record Outcome(boolean found, boolean inside) {
    }

    /**
     * The section's result.
     *
     * @param model    the detector
     * @param scenes   how many held-out scenes
     * @param seed     their seed
     * @param creature per scene, the creature's outcome
     * @param duck     per scene, the duck's outcome
     * @param pictures the pictures written
     * @param summary  the summary grid
     */
    public record Result(String model, int scenes, long seed, List<Outcome> creature, List<Outcome> duck,
            List<Path> pictures, Path summary) {

        /** @return the share of scenes whose creature was found */
        public double creatureFound() {
            return share(creature, Outcome::found);
        }

        /** @return the share of scenes whose duck was found */
        public double duckFound() {
            return share(duck, Outcome::found);
        }

        /** @return the share of scenes where Grad-CAM for the creature's box peaks inside it (a miss counts as not) */
        public double creatureInside() {
            return share(creature, Outcome::inside);
        }

        /** @return the share of scenes where Grad-CAM for the duck's box peaks inside it (a miss counts as not) */
        public double duckInside() {
            return share(duck, Outcome::inside);
        }

        /** @return whether every share reaches {@link DemoRun#REQUIRED_SHARE} */
        public boolean passed() {
            return creatureFound() >= DemoRun.REQUIRED_SHARE && duckFound() >= DemoRun.REQUIRED_SHARE
                    && creatureInside() >= DemoRun.REQUIRED_SHARE && duckInside() >= DemoRun.REQUIRED_SHARE;
        }

        private static double share(List<Outcome> outcomes, java.util.function.Predicate<Outcome> test) {
            return outcomes.stream().filter(test).count() / (double) outcomes.size();
        }

        @Override
        public String toString() {
            String need = " (needs >= " + DemoReport.pct(DemoRun.REQUIRED_SHARE) + ")";
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "camkit detector demo: %s on %d "
                    + "held-out scenes (seed %d), a creature and a duck in each%n", model, scenes, seed));
            text.append(String.format(Locale.ROOT, "  %s  detector finds the creature in %s and the duck in %s of "
                    + "scenes (right label, IoU >= %.1f with the true box)%s%n",
                    mark(creatureFound() >= DemoRun.REQUIRED_SHARE && duckFound() >= DemoRun.REQUIRED_SHARE),
                    DemoReport.pct(creatureFound()), DemoReport.pct(duckFound()), FOUND_IOU, need));
            text.append(String.format(Locale.ROOT, "  %s  Grad-CAM for the creature's box peaks inside it in %s of "
                    + "scenes%s%n", mark(creatureInside() >= DemoRun.REQUIRED_SHARE), DemoReport.pct(creatureInside()),
                    need));
            text.append(String.format(Locale.ROOT, "  %s  Grad-CAM for the duck's box peaks inside it in %s of "
                    + "scenes%s%n", mark(duckInside() >= DemoRun.REQUIRED_SHARE), DemoReport.pct(duckInside()), need));
            text.append("  pictures  ").append(pictures.isEmpty() ? "none" : pictures.get(0).getParent()
                    + " (" + pictures.size() + ", e.g. " + pictures.get(0).getFileName() + ")").append('\n');
            text.append("  summary   ").append(summary).append('\n');
            return text.toString();
        }

        private static String mark(boolean passed) {
            return passed ? "PASS" : "FAIL";
        }
    }

    /**
     * @param count    held-out scenes
     * @param seed     their seed
     * @param out      the folder for the pictures (created)
     * @param overlays scenes whose objects get a picture each
     * @param examples rows of the summary grid
     * @return the result
     * @throws CamException if the detector is not registered or a picture cannot be written
     */
    public Result run(int count, long seed, Path out, int overlays, int examples) {
        ModelInfo model = explainer.models().stream().filter(m -> m.name().equals(DETECTOR) && m.detector())
                .findFirst().orElseThrow(() -> new CamException("cam:demo --detector needs the detector '"
                        + DETECTOR + "' (models/" + DETECTOR + ".json with \"task\": \"detection\"), which is not "
                        + "registered; regenerate it with tools/camkit-export/detector.sh"));
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new CamException("cam:demo cannot create folder " + out + "; pass a writable --out", e);
        }
        List<Scene> scenes = Recipe.HELD_OUT.scenes(count, seed, new SceneGenerator(model.inputWidth()));
        List<Outcome> creatures = new ArrayList<>();
        List<Outcome> ducks = new ArrayList<>();
        List<Path> pictures = new ArrayList<>();
        List<BufferedImage[]> rows = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            Scene scene = scenes.get(i);
            List<Detection> detected = explainer.detect(ExplainRequest.builder(model.name())
                    .image(ImageInput.of(scene.image())).build()).get(0);
            String creatureLabel = SceneGenerator.LABELS.get(scene.label());
            BufferedImage[] row = new BufferedImage[2];
            int index = i;
            creatures.add(explain(model, scene, detected, creatureLabel, scene.creature(), i < overlays,
                    picture -> {
                        pictures.add(write(picture, out, index, creatureLabel));
                        row[0] = Images.toBuffered(picture);
                    }));
            ducks.add(explain(model, scene, detected, SceneGenerator.DUCK, scene.duck().orElseThrow(),
                    i < overlays, picture -> {
                        pictures.add(write(picture, out, index, SceneGenerator.DUCK));
                        row[1] = Images.toBuffered(picture);
                    }));
            if (rows.size() < examples && row[0] != null && row[1] != null) {
                rows.add(row);
            }
            if ((i + 1) % Math.max(1, scenes.size() / 4) == 0 || i + 1 == scenes.size()) {
                progress.accept(String.format(Locale.ROOT, "%s: %d/%d held-out scenes", model.name(), i + 1,
                        scenes.size()));
            }
        }
        Path summary = out.resolve("summary.png");
        writePng(Images.fromBuffered(summary(rows)), summary);
        return new Result(model.name(), scenes.size(), seed, creatures, ducks, pictures, summary);
    }

    /**
     * Finds the object among the detections and, when found, explains its detected box.
     *
     * @param picture receives the rendered explanation when {@code draw} and the object was found
     */
    private Outcome explain(ModelInfo model, Scene scene, List<Detection> detected, String label, Box truth,
            boolean draw, Consumer<RgbImage> picture) {
        Optional<Detection> found = detected.stream().filter(d -> d.label().equals(label) && iou(d, truth)
                >= FOUND_IOU).findFirst();
        if (found.isEmpty()) {
            return new Outcome(false, false);
        }
        Detection box = found.get();
        Explanation explanation = explainer.explain(ExplainRequest.builder(model.name()).method(METHOD)
                .image(ImageInput.of(scene.image())).target("detection:" + label + "@" + box.box()).build());
        ImageExplanation result = explanation.images().get(0);
        if (draw) {
            picture.accept(explainer.render(explanation, 0, "boxes", Map.of()));
        }
        return new Outcome(true, !result.flat() && peakInside(result, box));
    }

    private static boolean peakInside(ImageExplanation result, Detection box) {
        int peak = StoryTally.argmax(result.cam());
        return box.contains(peak % result.width(), peak / result.width());
    }

    /** @return the IoU of a detection and a true box, as camkit's suppression computes it */
    static double iou(Detection d, Box truth) {
        return DetectionLayout.iou(new float[] {d.x0(), d.y0(), d.x1(), d.y1()}, 0,
                new float[] {truth.x(), truth.y(), truth.right(), truth.bottom()}, 0);
    }

    private static Path write(RgbImage picture, Path out, int scene, String object) {
        Path file = out.resolve(String.format(Locale.ROOT, "scene-%03d-%s.png", scene, object));
        writePng(picture, file);
        return file;
    }

    private static void writePng(RgbImage picture, Path file) {
        try {
            Files.write(file, picture.png());
        } catch (IOException e) {
            throw new CamException("cam:demo cannot write " + file + "; pass a writable --out", e);
        }
    }

    /** @return the example rows side by side: the creature's picture, then the duck's, under column titles */
    static BufferedImage summary(List<BufferedImage[]> rows) {
        int cell = rows.isEmpty() ? 112 : Math.max(rows.get(0)[0].getWidth(), 224);
        int title = 28;
        int gap = 6;
        BufferedImage grid = new BufferedImage(2 * cell + 3 * gap, title + rows.size() * (cell + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString("Grad-CAM: creature box", gap, 19);
            g.drawString("Grad-CAM: duck box", 2 * gap + cell, 19);
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < 2; c++) {
                    g.drawImage(rows.get(r)[c], gap + c * (cell + gap), title + r * (cell + gap), cell, cell, null);
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }
}
