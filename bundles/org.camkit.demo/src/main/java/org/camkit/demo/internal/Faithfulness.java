package org.camkit.demo.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.camkit.api.CamException;
import org.camkit.api.Evaluation;
import org.camkit.api.EvaluationRequest;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.GroundTruth;
import org.camkit.api.ImageInput;
import org.camkit.api.MetricSpec;
import org.camkit.api.Progress;

/**
 * The demo's "How faithful" section: one evaluation of the biased model's maps of held-out scenes with a duck, for
 * the chosen methods and {@value #FLOOR} (random channel weights: the floor), with where the maps point (duck,
 * creature), how much of their energy lies on each, and two faithfulness metrics (deletion, ROAD). A method passes
 * when it beats the floor on both energy on the duck (the object the biased model uses) and deletion.
 */
public final class Faithfulness {

    /** The floor every other method must beat. */
    public static final String FLOOR = "randomcam";
    /** ROAD's percentiles here: fewer than its default 10..90, to keep the demo quick. */
    public static final String ROAD_PERCENTILES = "20,40,60,80";
    /** Deletion's steps here. */
    public static final String DELETION_STEPS = "20";

    private static final String CREATURES = String.join(",", SceneGenerator.LABELS);
    /** The metrics, in the table's column order. */
    static final List<MetricSpec> METRICS = List.of(
            new MetricSpec("pointing-game", Map.of("label", SceneGenerator.DUCK), "pointing-duck"),
            new MetricSpec("pointing-game", Map.of("label", CREATURES), "pointing-creature"),
            new MetricSpec("energy", Map.of("label", SceneGenerator.DUCK), "energy-duck"),
            new MetricSpec("energy", Map.of("label", CREATURES), "energy-creature"),
            new MetricSpec("deletion", Map.of("steps", DELETION_STEPS), null),
            new MetricSpec("road", Map.of("percentiles", ROAD_PERCENTILES), null));
    private static final List<String> HEADERS = List.of("pointing duck", "pointing creature", "energy duck",
            "energy creature", "deletion AUC (lower better)", "ROAD (higher better)");

    private final Evaluator evaluator;
    private final Consumer<String> progress;

    /**
     * @param evaluator scores the maps
     * @param progress  receives a line at every quarter of the images
     */
    public Faithfulness(Evaluator evaluator, Consumer<String> progress) {
        this.evaluator = evaluator;
        this.progress = progress;
    }

    /**
     * One method's means over the images.
     *
     * @param method           the method
     * @param pointingDuck     share of maps whose maximum points at the duck
     * @param pointingCreature share of maps whose maximum points at the creature
     * @param energyDuck       mean share of the map's sum on the duck's box
     * @param energyCreature   mean share of the map's sum on the creature's box
     * @param deletion         mean deletion AUC (lower is better)
     * @param road             mean ROAD (higher is better)
     */
    public record Row(String method, double pointingDuck, double pointingCreature, double energyDuck,
            double energyCreature, double deletion, double road) {

        double[] values() {
            return new double[] {pointingDuck, pointingCreature, energyDuck, energyCreature, deletion, road};
        }
    }

    /**
     * The PASS/FAIL rule's outcome.
     *
     * @param compared how many methods besides the floor were compared with it
     * @param losers   per method that does not beat the floor, what it loses on ({@code energy duck},
     *                 {@code deletion AUC})
     */
    public record Verdict(int compared, Map<String, List<String>> losers) {

        /** Copies. */
        public Verdict {
            losers = Collections.unmodifiableMap(new LinkedHashMap<>(losers));
        }

        /** @return whether at least one method was compared and every one beats the floor */
        public boolean passed() {
            return compared > 0 && losers.isEmpty();
        }
    }

    /**
     * The PASS/FAIL rule: every method but {@value #FLOOR} must have a higher energy on the duck and a lower
     * deletion AUC than {@value #FLOOR} (strictly; a missing value, NaN, loses).
     *
     * @param rows the rows, one of them {@value #FLOOR}
     * @return who was compared and who loses on what
     * @throws IllegalArgumentException if there is no {@value #FLOOR} row
     */
    public static Verdict verdict(List<Row> rows) {
        Row floor = rows.stream().filter(r -> r.method().equals(FLOOR)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no " + FLOOR + " row to compare with"));
        Map<String, List<String>> losers = new LinkedHashMap<>();
        int compared = 0;
        for (Row r : rows) {
            if (r.method().equals(FLOOR)) {
                continue;
            }
            compared++;
            List<String> lost = new ArrayList<>();
            if (!(r.energyDuck() > floor.energyDuck())) {
                lost.add("energy duck");
            }
            if (!(r.deletion() < floor.deletion())) {
                lost.add("deletion AUC");
            }
            if (!lost.isEmpty()) {
                losers.put(r.method(), lost);
            }
        }
        return new Verdict(compared, losers);
    }

    /**
     * The section's outcome.
     *
     * @param model   the model evaluated
     * @param images  how many scenes were scored
     * @param rows    one per method scored, {@value #FLOOR} last; empty when the evaluation failed
     * @param failed  per method left out, why (its explanations failed earlier in the demo)
     * @param error   why the evaluation failed, or null
     * @param seconds how long the section took
     */
    public record Result(String model, int images, List<Row> rows, Map<String, String> failed, String error,
            double seconds) {

        /** Copies. */
        public Result {
            rows = List.copyOf(rows);
            failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        }

        /** @return the PASS/FAIL rule applied to the rows; null when the evaluation failed */
        public Verdict verdict() {
            return error == null ? Faithfulness.verdict(rows) : null;
        }

        /** @return the section's text, ending with its PASS/FAIL line */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "How faithful: %s on %d held-out scenes with a duck, %s and %s"
                    + " (random channel weights, the floor), in %.1f s%n", model, images,
                    methods(Math.max(0, rows.size() - 1)), FLOOR, seconds));
            failed.forEach((method, why) -> s.append(String.format(Locale.ROOT, "  %s: not scored, %s%n", method,
                    DemoReport.firstClause(why))));
            if (error != null) {
                s.append(String.format(Locale.ROOT, "  [FAIL] the evaluation failed: %s%n", error));
                return s.toString();
            }
            int nameWidth = Math.max(20, rows.stream().mapToInt(r -> r.method().length()).max().orElse(0));
            s.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s", "METHOD"));
            HEADERS.forEach(h -> s.append("  ").append(h));
            s.append(System.lineSeparator());
            for (Row r : rows) {
                s.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s", r.method()));
                double[] values = r.values();
                for (int i = 0; i < values.length; i++) {
                    s.append(String.format(Locale.ROOT, "  %" + HEADERS.get(i).length() + "s", number(values[i])));
                }
                s.append(System.lineSeparator());
            }
            s.append(String.format(Locale.ROOT, "  (means over the %d images; pointing: share of maps whose maximum"
                    + " lies on the object's box or within 15 px of it, the metric's default;%n   energy: share of"
                    + " the map's sum inside the box; deletion: area under the predicted class's probability as the"
                    + " map's top pixels are deleted, %s steps;%n   ROAD: (LeRF - MoRF) / 2 of the class's logit with"
                    + " pixels imputed at the map's percentiles %s, fewer than ROAD's default 10..90 to keep the demo"
                    + " quick)%n", images, DELETION_STEPS, ROAD_PERCENTILES));
            Verdict v = verdict();
            if (v.passed()) {
                s.append(String.format(Locale.ROOT, "  [PASS] %s on both energy on the duck (higher) and deletion"
                        + " AUC (lower)%n", v.compared() == 1 ? "the one method beats " + FLOOR
                                : "all " + v.compared() + " methods beat " + FLOOR));
            } else if (v.compared() == 0) {
                s.append(String.format(Locale.ROOT, "  [FAIL] no method besides %s was scored%n", FLOOR));
            } else {
                List<String> named = new ArrayList<>();
                v.losers().forEach((method, lost) -> named.add(method + " (" + String.join(", ", lost) + ")"));
                s.append(String.format(Locale.ROOT, "  [FAIL] %d of %s do%s not beat %s on energy on the duck"
                        + " (higher) and deletion AUC (lower): %s%n", v.losers().size(), methods(v.compared()),
                        v.losers().size() == 1 ? "es" : "", FLOOR, String.join(", ", named)));
            }
            return s.toString();
        }

        private static String methods(int n) {
            return n == 1 ? "1 method" : n + " methods";
        }

        private static String number(double v) {
            return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
        }
    }

    /**
     * The scenes the section scores: the first {@code count} held-out scenes that have a duck (so every image has
     * both objects).
     *
     * @param count     how many
     * @param seed      the held-out set's seed
     * @param generator draws them at the model's size
     * @return the scenes
     */
    public static List<Scene> scenes(int count, long seed, SceneGenerator generator) {
        List<Scene> out = new ArrayList<>(count);
        for (int i = 0; out.size() < count; i++) {
            Scene scene = Recipe.HELD_OUT.scene(i, seed, generator);
            if (scene.duck().isPresent()) {
                out.add(scene);
            }
        }
        return out;
    }

    /**
     * @param scene a scene
     * @return its objects as ground truth: the creature under its label, the duck as {@value SceneGenerator#DUCK}
     */
    static GroundTruth truth(Scene scene) {
        return new GroundTruth(0, 0, scene.objects().stream().map(o -> GroundTruth.Region.box(o.category(),
                o.box().x(), o.box().y(), o.box().width(), o.box().height())).toList());
    }

    /**
     * Runs one evaluation of every method that did not fail and {@value #FLOOR}, and tabulates the means.
     *
     * @param model   the biased model
     * @param scenes  scenes with a duck, at the model's size
     * @param methods the methods to compare with the floor (a {@value #FLOOR} among them is dropped)
     * @param failed  per method whose explanations failed earlier, why; left out here
     * @return the section; with {@code error} set when the evaluation fails
     * @throws CamException if the thread is interrupted (the demo is cancelled)
     */
    public Result run(String model, List<Scene> scenes, List<String> methods, Map<String, String> failed) {
        long start = System.nanoTime();
        Map<String, String> left = new LinkedHashMap<>();
        List<String> scored = new ArrayList<>();
        for (String method : methods) {
            if (failed.containsKey(method)) {
                left.put(method, failed.get(method));
            } else if (!method.equals(FLOOR) && !scored.contains(method)) {
                scored.add(method);
            }
        }
        scored.add(FLOOR);
        ExplainRequest.Builder explain = ExplainRequest.builder(model).progress(quarters(model, scored.size(), start));
        scenes.forEach(s -> explain.image(ImageInput.of(s.image())));
        Evaluation evaluation;
        try {
            evaluation = evaluator.evaluate(new EvaluationRequest(explain.build(), scored, METRICS,
                    scenes.stream().map(Faithfulness::truth).toList(), false, null));
        } catch (CamException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            return new Result(model, scenes.size(), List.of(), left, e.getMessage(), seconds(start));
        }
        Map<String, Double> means = new HashMap<>();
        evaluation.summary().forEach(s -> means.put(s.method() + "\n" + s.metric(), s.mean()));
        List<Row> rows = new ArrayList<>();
        for (String method : scored) {
            double[] v = METRICS.stream().mapToDouble(m -> means.getOrDefault(method + "\n" + m.column(), Double.NaN))
                    .toArray();
            rows.add(new Row(method, v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        return new Result(model, scenes.size(), rows, left, null, seconds(start));
    }

    /** @return a listener that prints a line when another quarter of the images is scored */
    private Progress quarters(String model, int methods, long start) {
        return (task, done, total) -> {
            if (task.equals(Evaluator.PROGRESS) && done * 4 / total > (done - 1) * 4 / total) {
                progress.accept(String.format(Locale.ROOT, "How faithful: %s, %d/%d images scored with %d methods"
                        + " (%.0f s)", model, done, total, methods, seconds(start)));
            }
        };
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
