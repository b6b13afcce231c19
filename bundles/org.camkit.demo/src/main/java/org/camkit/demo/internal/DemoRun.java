package org.camkit.demo.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.camkit.api.CamException;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.RgbImage;

/**
 * The biased-duck demo, without the shell: explains held-out scenes (a duck in each, beside either creature) with
 * both demo models, tallies where their Grad-CAM maps peak, writes overlays and a summary picture, scores the
 * biased model's maps with the metrics ({@link Faithfulness}), and reports; or writes the held-out scenes as a COCO
 * dataset ({@link #export}).
 */
public final class DemoRun {

    /** The model trained with a duck beside every charmander. */
    public static final String BIASED = "demo-biased";
    /** The model trained with ducks at random. */
    public static final String CLEAN = "demo-clean";
    /** The share of held-out maps that must peak on the expected object for the story to pass. */
    public static final double REQUIRED_SHARE = 0.8;
    /** The methods whose duck-peak share the demo reports on the biased model by default: the gradient methods. */
    public static final List<String> GRADIENT_METHODS = List.of("gradcam", "hirescam", "gradcamelementwise",
            "gradcam++", "xgradcam", "layercam", "eigengradcam", "fullgrad", "guidedgradcam");

    private final Explainer explainer;
    private final Evaluator evaluator;
    private final Consumer<String> progress;

    /**
     * @param explainer explains and renders
     * @param evaluator scores the maps in the faithfulness section
     * @param progress  receives one line per explained batch, and per quarter of the faithfulness section
     */
    public DemoRun(Explainer explainer, Evaluator evaluator, Consumer<String> progress) {
        this.explainer = explainer;
        this.evaluator = evaluator;
        this.progress = progress;
    }

    /**
     * What to run.
     *
     * @param count    held-out scenes, at least 1
     * @param out      the folder for pictures
     * @param seed     the held-out set's seed
     * @param batch    scenes per explain request, at least 1
     * @param overlays how many scenes per model get an overlay file
     * @param examples rows of the summary picture
     * @param methods  methods whose duck-peak share on the biased model is reported (besides Grad-CAM's story)
     * @param backend  the backend whose demo models run: {@code pytorch} uses demo-biased and demo-clean, another
     *                 backend demo-biased-&lt;backend&gt; and demo-clean-&lt;backend&gt; (the same weights)
     * @param faithful how many held-out scenes with a duck the faithfulness section scores; 0 skips it
     */
    public record Options(int count, Path out, long seed, int batch, int overlays, int examples,
            List<String> methods, String backend, int faithful) {
        /** Validates and copies. */
        public Options {
            methods = List.copyOf(methods);
            backend = backend == null || backend.isBlank() ? "pytorch" : backend.trim();
            if (count < 1 || batch < 1 || overlays < 0 || examples < 1) {
                throw new CamException("cam:demo needs --count >= 1 and --batch >= 1 (got count " + count
                        + ", batch " + batch + ")");
            }
            if (faithful < 0) {
                throw new CamException("cam:demo needs --faithful >= 0 (0 skips the faithfulness section), got "
                        + faithful);
            }
        }
    }

    /**
     * @param backend a backend name
     * @param biased  the biased model, else the clean one
     * @return the name of that demo model for that backend
     */
    public static String modelName(String backend, boolean biased) {
        String base = biased ? BIASED : CLEAN;
        return "pytorch".equals(backend) ? base : base + "-" + backend;
    }

    /**
     * The outcome for one model.
     *
     * @param biased  whether it is the biased model (else the clean one)
     * @param model   the model's name
     * @param figures the tallied figures
     * @param passed  whether its maps peak on the expected object often enough
     * @param overlayDir where its overlays were written
     */
    public record ModelResult(boolean biased, String model, StoryTally.Figures figures, boolean passed,
            Path overlayDir) {

        /** @return the share the story checks: duck peaks for the biased model, creature peaks for the clean one */
        public double storyShare() {
            return biased ? figures.duckPeak() : figures.creaturePeak();
        }
    }

    /**
     * One method's duck-peak share on the biased model.
     *
     * @param method the method
     * @param share  the share of held-out maps peaking on the duck, or NaN when it failed
     * @param millis time per image
     * @param error  why it failed, or null
     */
    public record MethodShare(String method, double share, double millis, String error) {
    }

    /**
     * Runs the demo.
     *
     * @param options what to run
     * @return the report
     * @throws CamException if a demo model is not registered, or explaining fails
     */
    public DemoReport run(Options options) {
        Map<String, ModelInfo> models = demoModels(options.backend());
        createDirectories(options.out());
        Map<Integer, List<Scene>> scenesBySize = new LinkedHashMap<>();
        List<ModelResult> results = new ArrayList<>();
        List<List<Row>> rowsPerModel = new ArrayList<>();
        for (ModelInfo model : models.values()) {
            List<Scene> scenes = scenesBySize.computeIfAbsent(model.inputWidth(),
                    size -> Recipe.HELD_OUT.scenes(options.count(), options.seed(), new SceneGenerator(size)));
            List<Row> rows = new ArrayList<>();
            results.add(explainAll(model, scenes, options, rows));
            rowsPerModel.add(rows);
        }
        Path summary = options.out().resolve("summary.png");
        List<SummaryPicture.Example> examples = new ArrayList<>();
        for (int i = 0; i < rowsPerModel.get(0).size(); i++) {
            Row biased = rowsPerModel.get(0).get(i);
            Row clean = rowsPerModel.get(1).get(i);
            examples.add(new SummaryPicture.Example(biased.scene, biased.overlay, biased.predicted, clean.overlay,
                    clean.predicted));
        }
        write(Images.fromBuffered(SummaryPicture.draw(examples, results.get(0), results.get(1), options.count())),
                summary);
        ModelInfo biased = models.get(modelName(options.backend(), true));
        List<MethodShare> shares = new ArrayList<>();
        for (String method : options.methods()) {
            shares.add(share(biased, scenesBySize.get(biased.inputWidth()), method, options));
        }
        Optional<Faithfulness.Result> faithful = Optional.empty();
        if (options.faithful() > 0) {
            Map<String, String> failed = new LinkedHashMap<>();
            shares.stream().filter(s -> s.error() != null).forEach(s -> failed.put(s.method(), s.error()));
            faithful = Optional.of(new Faithfulness(evaluator, progress).run(biased.name(),
                    Faithfulness.scenes(options.faithful(), options.seed(), new SceneGenerator(biased.inputWidth())),
                    options.methods(), failed));
        }
        return new DemoReport(options, results, shares, summary, faithful);
    }

    /**
     * What {@link #export} wrote, and the command that evaluates it; {@link #toString()} is the text the shell
     * prints.
     *
     * @param written the files
     * @param model   the model whose input size is the pictures' default size
     * @param seed    the held-out set's seed
     */
    public record Export(DatasetExport.Written written, String model, long seed) {

        /**
         * @return the {@code cam:evaluate} command that scores methods on the dataset; its localisation metrics
         *         compare the maps with the duck, the object the biased model looks at (by default they compare with
         *         the predicted class's object, which a bulbasaur scene called 'charmander' does not have)
         */
        public String evaluateCommand() {
            Path folder = written.images().getParent();
            StringBuilder command = new StringBuilder("./camkit cam:evaluate --model " + model + " --images "
                    + folder.resolve(DatasetExport.IMAGES) + " --annotations " + folder.resolve(DatasetExport.COCO)
                    + " --methods gradcam,scorecam," + Faithfulness.FLOOR);
            for (String metric : List.of("pointing-game", "energy", "iou")) {
                command.append(" --metric-option ").append(metric).append(".label=").append(SceneGenerator.DUCK);
            }
            return command.append(" --out report/").toString();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "camkit biased-duck demo: wrote %d held-out scenes (--count, default"
                    + " 100; seed %d; %dx%d: --size, default %s's input size) and %d boxes (a creature and a duck per"
                    + " scene); nothing was explained%n  images       %s%n  annotations  %s (COCO: categories %s, %s)%n%n"
                    + "Next, score methods on them (the localisation metrics compare the maps with the duck: by"
                    + " default they look for the predicted class's object, and %s calls most bulbasaurs"
                    + " 'charmander'):%n  %s%n", written.scenes(), seed, written.width(), written.height(), model,
                    written.annotations(), written.images().toAbsolutePath(), written.coco().toAbsolutePath(),
                    String.join(", ", SceneGenerator.LABELS), SceneGenerator.DUCK, model, evaluateCommand());
        }
    }

    /**
     * Writes the held-out scenes ({@code count} and {@code seed} of the options) as a COCO dataset, without explaining
     * anything.
     *
     * @param options what the demo would run; its count, seed and backend are used
     * @param folder  the dataset folder
     * @param size    the scenes' width and height in pixels, 0 for the biased model's input size
     * @return what was written
     * @throws CamException if the size is below 48, the biased model is not registered or a file cannot be written
     */
    public Export export(Options options, Path folder, int size) {
        if (size != 0 && size < 48) {
            throw new CamException("--size " + size + ": the scenes need at least 48 pixels a side; leave it out for"
                    + " the demo models' input size");
        }
        ModelInfo biased = model(modelName(options.backend(), true), explainer.models());
        List<Scene> scenes = Recipe.HELD_OUT.scenes(options.count(), options.seed(),
                new SceneGenerator(size > 0 ? size : biased.inputWidth()));
        return new Export(DatasetExport.write(scenes, folder), biased.name(), options.seed());
    }

    /** One summary row for one model: the scene, its overlay and the predicted label. */
    private record Row(Scene scene, BufferedImage overlay, String predicted) {
    }

    private Map<String, ModelInfo> demoModels(String backend) {
        Map<String, ModelInfo> found = new LinkedHashMap<>();
        List<ModelInfo> registered = explainer.models();
        for (String name : List.of(modelName(backend, true), modelName(backend, false))) {
            found.put(name, model(name, registered));
        }
        return found;
    }

    private static ModelInfo model(String name, List<ModelInfo> registered) {
        Optional<ModelInfo> model = registered.stream().filter(m -> m.name().equals(name)).findFirst();
        if (model.isEmpty()) {
            throw new CamException("cam:demo needs model '" + name + "', which is not registered (registered: "
                    + registered.stream().map(ModelInfo::name).toList() + "); train it with './camkit "
                    + "train-demo' (writes models/" + name + ".json) and start the runtime with that models "
                    + "folder");
        }
        if (model.get().inputWidth() != model.get().inputHeight()) {
            throw new CamException("cam:demo needs a square input; model '" + name + "' takes "
                    + model.get().inputWidth() + "x" + model.get().inputHeight());
        }
        return model.get();
    }

    private ModelResult explainAll(ModelInfo model, List<Scene> scenes, Options options, List<Row> rows) {
        StoryTally tally = new StoryTally(StoryTally.defaultMargin(model.inputWidth()));
        Path overlayDir = options.out().resolve(model.name());
        createDirectories(overlayDir);
        List<Integer> exampleIndices = exampleIndices(scenes, options.examples());
        Map<Integer, Row> exampleRows = new LinkedHashMap<>();
        explainInBatches(model, ExplainRequest.DEFAULT_METHOD, scenes, options.batch(), (from, to, explanation) -> {
            for (int i = from; i < to; i++) {
                ImageExplanation result = explanation.images().get(i - from);
                tally.add(scenes.get(i), result.predicted(), result.cam(), result.width());
                boolean example = exampleIndices.contains(i);
                if (i < options.overlays() || example) {
                    RgbImage overlay = explainer.render(explanation, i - from, "overlay", Map.of());
                    if (i < options.overlays()) {
                        write(overlay, overlayDir.resolve(String.format(Locale.ROOT, "scene-%03d-%s-%s.png", i,
                                SceneGenerator.LABELS.get(scenes.get(i).label()), result.predictedLabel())));
                    }
                    if (example) {
                        exampleRows.put(i, new Row(scenes.get(i), Images.toBuffered(overlay),
                                result.predictedLabel()));
                    }
                }
            }
            progress.accept(String.format(Locale.ROOT, "%s: explained %d/%d held-out images", model.name(), to,
                    scenes.size()));
        });
        exampleIndices.forEach(i -> rows.add(exampleRows.get(i)));
        StoryTally.Figures figures = tally.figures();
        boolean biased = model.name().startsWith(BIASED);
        double share = biased ? figures.duckPeak() : figures.creaturePeak();
        return new ModelResult(biased, model.name(), figures, share >= REQUIRED_SHARE, overlayDir);
    }

    private MethodShare share(ModelInfo model, List<Scene> scenes, String method, Options options) {
        StoryTally tally = new StoryTally(StoryTally.defaultMargin(model.inputWidth()));
        long start = System.nanoTime();
        try {
            explainInBatches(model, method, scenes, options.batch(), (from, to, explanation) -> {
                for (int i = from; i < to; i++) {
                    ImageExplanation result = explanation.images().get(i - from);
                    tally.add(scenes.get(i), result.predicted(), result.cam(), result.width());
                }
            });
        } catch (CamException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            return new MethodShare(method, Double.NaN, 0, e.getMessage());
        }
        double millis = (System.nanoTime() - start) / 1e6 / scenes.size();
        progress.accept(String.format(Locale.ROOT, "%s with %s: peak on the duck in %s", model.name(), method,
                DemoReport.pct(tally.figures().duckPeak())));
        return new MethodShare(method, tally.figures().duckPeak(), millis, null);
    }

    /** Receives the explanation of the scenes {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    private interface Batch {
        void explained(int from, int to, Explanation explanation);
    }

    /** Explains the scenes with one method in requests of {@code batch} images, in order. */
    private void explainInBatches(ModelInfo model, String method, List<Scene> scenes, int batch, Batch consumer) {
        for (int from = 0; from < scenes.size(); from += batch) {
            int to = Math.min(scenes.size(), from + batch);
            ExplainRequest.Builder request = ExplainRequest.builder(model.name()).method(method);
            for (Scene scene : scenes.subList(from, to)) {
                request.image(ImageInput.of(scene.image()));
            }
            consumer.explained(from, to, explainer.explain(request.build()));
        }
    }

    /** Summary rows: bulbasaur-with-duck scenes first (where the biased model goes wrong), then charmanders. */
    static List<Integer> exampleIndices(List<Scene> scenes, int examples) {
        List<Integer> out = new ArrayList<>();
        int bulbasaurs = examples - examples / 2;
        for (int label : new int[] {SceneGenerator.BULBASAUR, SceneGenerator.CHARMANDER}) {
            int wanted = label == SceneGenerator.BULBASAUR ? bulbasaurs : examples - bulbasaurs;
            for (int i = 0; i < scenes.size() && wanted > 0; i++) {
                if (scenes.get(i).label() == label) {
                    out.add(i);
                    wanted--;
                }
            }
        }
        return out;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CamException("cam:demo cannot create folder " + dir + "; pass a writable --out", e);
        }
    }

    private static void write(RgbImage image, Path file) {
        try {
            Files.write(file, image.png());
        } catch (IOException e) {
            throw new CamException("cam:demo cannot write " + file + "; pass a writable --out", e);
        }
    }
}
