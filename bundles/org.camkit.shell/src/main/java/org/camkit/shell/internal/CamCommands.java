package org.camkit.shell.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.Detection;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.LayerAggregation;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.camkit.spi.NpyFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// The Gogo commands of scope cam: list plugins, models and layers, explain images and compare methods.
@Component(service = CamCommands.class)
@GogoCommand(scope = "cam", function = {"methods", "backends", "targets", "visualizers", "models", "layers",
    "explain", "compare", "detect"})
public final class CamCommands {
    private final Explainer explainer;
    private final Supplier<PrintStream> progressOut;
    private final boolean inPlace;
    private final Function<List<Path>, List<Path>> lister;

    /** The help of {@code --aggregate}. */
    static final String AGGREGATE = "with several layers: mean (default; product for refinecam) of the layers'"
            + " maps, or product (RefineCAM: only what every layer highlights)";
    /** The framework property {@code camkit.progress}: {@code lines} writes progress as whole lines (a log). */
    static final String PROGRESS = "camkit.progress";

    /**
     * @param explainer the service the commands call
     * @param context   reads {@value #PROGRESS}
     */
    @Activate
    public CamCommands(@Reference Explainer explainer, @Reference Evaluator evaluator, BundleContext context) {
        this(explainer, () -> System.err, !"lines".equals(context.getProperty(PROGRESS)),
                paths -> evaluator.dataset(paths, null, null).images().stream()
                        .map(i -> ((ImageInput.File) i).path()).toList());
    }

    /**
     * @param explainer   the service the commands call
     * @param progressOut where progress bars go; in a Gogo session the calling thread's System.err is the
     *                    session's error stream
     */
    CamCommands(Explainer explainer, Supplier<PrintStream> progressOut) {
        this(explainer, progressOut, true);
    }

    /**
     * @param explainer   the service the commands call
     * @param progressOut where progress bars go
     * @param inPlace     redraw a progress bar in place (a terminal), else write whole lines
     */
    CamCommands(Explainer explainer, Supplier<PrintStream> progressOut, boolean inPlace) {
        this(explainer, progressOut, inPlace, paths -> {
            throw new CamException("no image lister: --images needs the core's dataset reader");
        });
    }

    /**
     * @param explainer   the service the commands call
     * @param progressOut where progress bars go
     * @param inPlace     redraw a progress bar in place (a terminal), else write whole lines
     * @param lister      lists the image files of folders and list files ({@code --images})
     */
    CamCommands(Explainer explainer, Supplier<PrintStream> progressOut, boolean inPlace,
            Function<List<Path>, List<Path>> lister) {
        this.explainer = explainer;
        this.progressOut = progressOut;
        this.inPlace = inPlace;
        this.lister = lister;
    }

    @Descriptor("lists the CAM methods and what each needs from a backend")
    public String methods() {
        return plugins(PluginInfo.Kind.METHOD, "NEEDS");
    }

    @Descriptor("lists the model backends (what a model provides: cam:layers MODEL)")
    public String backends() {
        return plugins(PluginInfo.Kind.BACKEND, "DETAILS");
    }

    @Descriptor("lists the target resolvers (the name before ':' in --target)")
    public String targets() {
        return plugins(PluginInfo.Kind.TARGET, "DETAILS");
    }

    @Descriptor("lists the visualizers (--visualizer)")
    public String visualizers() {
        return plugins(PluginInfo.Kind.VISUALIZER, "DETAILS");
    }

    @Descriptor("lists the registered models: backend, input size, default layer, labels")
    public String models() {
        List<ModelInfo> models = explainer.models();
        if (models.isEmpty()) {
            return "no models registered";
        }
        List<List<String>> rows = new ArrayList<>();
        for (ModelInfo m : models) {
            rows.add(List.of(m.name(), m.backend(), m.inputWidth() + "x" + m.inputHeight(), m.defaultLayer(),
                    m.detector() ? "yes" : "-", labels(m.labels())));
        }
        return Tables.format(List.of("NAME", "BACKEND", "INPUT", "DEFAULT LAYER", "DETECTOR", "LABELS"), rows);
    }

    @Descriptor("lists the layers of a model a CAM can target, in network order (* marks the default), and what"
            + " the model provides to CAM methods")
    public String layers(@Descriptor("model name or descriptor path") String model) {
        List<String> layers = explainer.layers(model);
        String defaultLayer = explainer.model(model).defaultLayer();
        StringBuilder text = new StringBuilder();
        for (String layer : layers) {
            text.append(layer.equals(defaultLayer) ? "* " : "  ").append(layer).append('\n');
        }
        if (defaultLayer != null) {
            text.append("(* default layer)\n");
        }
        text.append("provides: ").append(String.join(", ", explainer.capabilities(model))).append('\n');
        return text.toString();
    }

    @Descriptor("explains a model's prediction on one or more images with a class activation map; --model and"
            + " --image must be given (Gogo marks every option [optional]); with several images, --out, --cam-out and"
            + " --json write name-<i>.ext per image (i from 0, in --image order); Ctrl-C cancels. With --images (a"
            + " folder, list or glob) instead of --image, a batch run writes into --out-dir per image <name>.png"
            + " (the --visualizer picture) and/or <name>.npy (the map), as --outputs says, and a line of"
            + " index.jsonl (the --json fields, files, or error); a re-run skips the images the index holds as done"
            + " (resume after Ctrl-C or a crash), --force redoes all; a bad image gets an error line and the run"
            + " goes on")
    public String explain(
            @Descriptor("model name or descriptor path")
            @Parameter(names = {"-m", "--model"}, absentValue = Args.ABSENT) String model,
            @Descriptor("image file(s), comma-separated")
            @Parameter(names = {"-i", "--image"}, absentValue = Args.ABSENT) String image,
            @Descriptor("CAM method (default gradcam; see cam:methods)")
            @Parameter(names = {"--method"}, absentValue = Args.ABSENT) String method,
            @Descriptor("target layer; repeat --layer or give a comma list for several (default: the model's"
                    + " default; see cam:layers)")
            @Parameter(names = {"-l", "--layer"}, absentValue = Args.ABSENT) String layer,
            @Descriptor("target spec such as class:3 or class:bulbasaur (default: the predicted class)")
            @Parameter(names = {"-t", "--target"}, absentValue = Args.ABSENT) String target,
            @Descriptor("PNG file to write the rendered map to")
            @Parameter(names = {"-o", "--out"}, absentValue = Args.ABSENT) String out,
            @Descriptor("visualizer for --out (default: the result's natural picture: gradient for guided"
                    + " methods, concepts for dff, else overlay; see cam:visualizers)")
            @Parameter(names = {"--visualizer"}, absentValue = Args.ABSENT) String visualizer,
            @Descriptor("the image's share of the picture, 0 to 1 (default 0.5; 0.3 for concepts)")
            @Parameter(names = {"--image-weight"}, absentValue = Args.ABSENT) String imageWeight,
            @Descriptor("colormap for --out: jet (default), turbo, viridis, inferno, hot, ...")
            @Parameter(names = {"--colormap"}, absentValue = Args.ABSENT) String colormap,
            @Descriptor(".npy file to write the raw float32 map to (H x W at the model's input size, or the"
                    + " image's with --original-size)")
            @Parameter(names = {"--cam-out"}, absentValue = Args.ABSENT) String camOut,
            @Descriptor("JSON file to write prediction, scores, target and timings to")
            @Parameter(names = {"--json"}, absentValue = Args.ABSENT) String json,
            @Descriptor("a method option name=value, e.g. batch-size=32; repeat for several (see cam:methods)")
            @Parameter(names = {"--option"}, absentValue = Args.ABSENT) String option,
            @Descriptor("average the map over horizontal flips and input scalings 0.9, 1, 1.1 (six passes)")
            @Parameter(names = {"--aug-smooth"}, presentValue = "true", absentValue = "false") boolean augSmooth,
            @Descriptor("use the first principal component of the weighted activations (less noise)")
            @Parameter(names = {"--eigen-smooth"}, presentValue = "true", absentValue = "false")
            boolean eigenSmooth,
            @Descriptor("write the picture and the map at the image's own size, not the model's input size")
            @Parameter(names = {"--original-size"}, presentValue = "true", absentValue = "false")
            boolean originalSize,
            @Descriptor("many images, instead of --image: folders (their image files, sorted), list files (.txt, a"
                    + " path per line) or globs such as data/*.png, comma-separated; needs --out-dir")
            @Parameter(names = {"--images"}, absentValue = Args.ABSENT) String images,
            @Descriptor("with --images: the folder for the outputs and index.jsonl (apart from the images)")
            @Parameter(names = {"--out-dir"}, absentValue = Args.ABSENT) String outDir,
            @Descriptor("with --images: what to write per image, overlay (<name>.png, the default), map"
                    + " (<name>.npy) or overlay,map")
            @Parameter(names = {"--outputs"}, absentValue = Args.ABSENT) String outputs,
            @Descriptor("with --images: images per request (default 8)")
            @Parameter(names = {"--batch-size"}, absentValue = Args.ABSENT) String batchSize,
            @Descriptor("with --images: redo the images index.jsonl holds as done, and start a new index")
            @Parameter(names = {"--force"}, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(AGGREGATE)
            @Parameter(names = {"--aggregate"}, absentValue = Args.ABSENT) String aggregate,
            @Descriptor("further --layer and --option values") String... more) {
        long start = System.nanoTime();
        RepeatedOptions repeated = RepeatedOptions.collect("cam:explain", layer, option, more);
        boolean batch = Args.given(images).isPresent();
        if (batch) {
            checkBatch(image, out, camOut, json, outDir);
        } else if (Args.given(outDir).isPresent() || Args.given(outputs).isPresent()
                || Args.given(batchSize).isPresent() || force) {
            throw new CamException("--out-dir, --outputs, --batch-size and --force belong to a batch run; give"
                    + " --images <folder | list.txt | glob> instead of --image, or leave them out");
        }
        Path folder = batch ? Args.path("out-dir", outDir.trim()).toAbsolutePath().normalize() : null;
        List<Path> files = batch
                ? lister.apply(Args.imagePaths("images", images, folder)).stream()
                        .map(p -> p.toAbsolutePath().normalize()).toList()
                : Args.paths("image", Args.required(image, "cam:explain needs --image <file>[,<file>...]"
                        + " or --images <folder | list.txt | glob> with --out-dir <folder>"));
        ExplainOptions options = new ExplainOptions(
                Args.required(model, "cam:explain needs --model <model name or descriptor path>;"
                        + " cam:models lists the registered models"),
                files,
                Args.given(method).orElse(ExplainRequest.DEFAULT_METHOD),
                repeated.layers(),
                Args.given(target).orElse(""),
                repeated.methodOptions(),
                augSmooth,
                eigenSmooth,
                originalSize,
                Args.given(aggregate).map(LayerAggregation::parse),
                Args.optionalPath("out", out),
                Args.given(visualizer),
                ExplainOptions.renderOptions(imageWeight, colormap),
                Args.optionalPath("cam-out", camOut),
                Args.optionalPath("json", json));

        Optional<ObjectTarget> objects = ObjectTarget.parse(options.target());
        if (batch) {
            checkOutDir(folder, files);
            BatchRun.Settings settings = new BatchRun.Settings(options, folder, BatchRun.outputs(outputs),
                    BatchRun.batchSize(batchSize), force);
            if (objects.isPresent()) {
                throw new CamException("--target '" + options.target() + "' explains each detected object;"
                        + " a batch run (--images) explains one target per image: give a box or a class");
            }
            return new BatchRun(explainer, settings, new ProgressBar(progressOut.get(), System::nanoTime, inPlace,
                    "images"), System::nanoTime).run();
        }
        if (objects.isPresent()) {
            return explainObjects(options, objects.get(), start);
        }
        Explanation explanation;
        try (ProgressBar bar = progressBar()) {
            explanation = explainer.explain(options.request(bar));
        } catch (CamException e) {
            return cancelled("cam:explain", e);
        }
        int count = explanation.images().size();
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int index = i;
            List<Path> written = write(options, explanation, i, p -> OutputFiles.forImage(p, index, count), true);
            summary.append(describe(explanation.images().get(i), written));
        }
        summary.append(ran(explanation, count + " image(s)", start));
        return summary.toString();
    }

    /** Refuses the single-image options in a batch run, and a batch run without its output folder. */
    private static void checkBatch(String image, String out, String camOut, String json, String outDir) {
        if (Args.given(image).isPresent()) {
            throw new CamException("cam:explain takes --image <file>[,<file>...] or --images <folder | list.txt |"
                    + " glob>, not both; put every image in --images");
        }
        if (Args.given(out).isPresent() || Args.given(camOut).isPresent() || Args.given(json).isPresent()) {
            throw new CamException("--out, --cam-out and --json name one file each; with --images the files are"
                    + " named per image in --out-dir: choose them with --outputs overlay,map (index.jsonl holds"
                    + " what --json would)");
        }
        Args.required(outDir, "cam:explain --images needs --out-dir <folder> for the outputs and index.jsonl");
    }

    /** Refuses an output folder that holds input images: outputs would replace them or be listed as images. */
    private static void checkOutDir(Path folder, List<Path> images) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new CamException("--out-dir '" + folder + "' is a file; give a folder (it is created if absent)");
        }
        for (Path image : images) {
            if (folder.equals(image.getParent())) {
                throw new CamException("--out-dir '" + folder + "' holds the input image " + image + "; give a"
                        + " folder apart from the images, e.g. " + folder.resolveSibling(folder.getFileName()
                        + "-cams"));
            }
        }
    }

    /** @return the closing line of a summary: method, layers, model, what ran, how long */
    private static String ran(Explanation explanation, String what, long start) {
        return String.format(Locale.ROOT, "%s%s of model %s (%s): %s in %d ms (%s)%n", explanation.method(),
                explanation.layers().isEmpty() ? "" : " at " + String.join(",", explanation.layers()),
                explanation.model(), explanation.backend(), what, (System.nanoTime() - start) / 1_000_000,
                stages(explanation));
    }

    /**
     * {@code detection:<label>} without a box: explains each detected object of the label in turn, with files
     * {@code name-<label>-<j>.ext} per object and one JSON per image listing the objects.
     */
    private String explainObjects(ExplainOptions options, ObjectTarget objects, long start) {
        StringBuilder summary = new StringBuilder();
        int count = options.images().size();
        int explained = 0;
        Explanation last = null;
        try (ProgressBar bar = progressBar()) {
            for (int i = 0; i < count; i++) {
                Path image = options.images().get(i);
                // boxes in the model's input pixels, as a target spec gives them
                List<Detection> detected = explainer.detect(ExplainRequest.builder(options.model())
                        .image(ImageInput.of(image)).build()).get(0);
                List<Detection> mine = objects.of(detected);
                if (mine.isEmpty()) { // the target names what was detected
                    explainer.explain(options.request(bar, image, options.target()));
                    throw new CamException("nothing in " + image + " is detected as '" + objects.label() + "'");
                }
                List<ResultJson.DetectedObject> results = new ArrayList<>();
                int index = i;
                for (int j = 0; j < mine.size(); j++) {
                    Explanation e = explainer.explain(options.request(bar, image, objects.spec(mine.get(j))));
                    int object = j;
                    List<Path> written = write(options, e, 0,
                            p -> objects.file(OutputFiles.forImage(p, index, count), object), false);
                    summary.append(String.format(Locale.ROOT, "object %d: %s%n", j, mine.get(j)))
                            .append(describe(e.images().get(0), written));
                    results.add(new ResultJson.DetectedObject(mine.get(j), e.images().get(0), written));
                    last = e;
                    explained++;
                }
                Optional<Path> json = options.json().map(p -> OutputFiles.forImage(p, index, count));
                if (json.isPresent()) {
                    String text = ResultJson.objects(last, options.target(), detected, results);
                    summary.append("  wrote      ").append(writeFile(json.get(), "--json",
                            file -> Files.writeString(file, text, StandardCharsets.UTF_8))).append('\n');
                }
            }
        } catch (CamException e) {
            return cancelled("cam:explain", e);
        }
        summary.append(ran(last, explained + " object(s) in " + count + " image(s)", start));
        return summary.toString();
    }

    /**
     * Writes the outputs the options ask for of one image of an explanation.
     *
     * @param name maps an option's path to this image's file
     * @param json whether to write {@code --json} (per-object runs write one JSON per image themselves)
     */
    private List<Path> write(ExplainOptions options, Explanation explanation, int index, UnaryOperator<Path> name,
            boolean json) {
        List<Path> written = new ArrayList<>();
        ImageExplanation image = explanation.images().get(index);
        Optional<Path> out = options.out().map(name);
        if (out.isPresent()) {
            written.add(writePicture(explainer, options, explanation, index, out.get(), "--out"));
        }
        Optional<Path> camOut = options.camOut().map(name);
        if (camOut.isPresent()) {
            written.add(writeMap(image, camOut.get(), "--cam-out"));
        }
        Optional<Path> document = json ? options.json().map(name) : Optional.empty();
        if (document.isPresent()) {
            String text = ResultJson.of(explanation, index);
            written.add(writeFile(document.get(), "--json",
                    file -> Files.writeString(file, text, StandardCharsets.UTF_8)));
        }
        return written;
    }

    @Descriptor("lists what a detector finds in one or more images: label, score and box (x0,y0,x1,y1 in pixels of"
            + " the model's input, or of the image with --original-size); --model and --image must be given")
    public String detect(
            @Descriptor("detector name or descriptor path")
            @Parameter(names = {"-m", "--model"}, absentValue = Args.ABSENT) String model,
            @Descriptor("image file(s), comma-separated")
            @Parameter(names = {"-i", "--image"}, absentValue = Args.ABSENT) String image,
            @Descriptor("list only detections scoring at least this (default: all above the descriptor's"
                    + " scoreThreshold)")
            @Parameter(names = {"--min-score"}, absentValue = Args.ABSENT) String minScore,
            @Descriptor("boxes in pixels of the image as given, not of the model's input")
            @Parameter(names = {"--original-size"}, presentValue = "true", absentValue = "false")
            boolean originalSize,
            @Descriptor("JSON file to write the detections to") @Parameter(names = {"--json"},
                    absentValue = Args.ABSENT) String json) {
        List<Path> images = Args.paths("image", Args.required(image, "cam:detect needs --image <file>[,<file>...]"));
        ExplainRequest.Builder request = ExplainRequest.builder(Args.required(model, "cam:detect needs --model "
                + "<detector>; cam:models lists the registered models (DETECTOR yes)")).originalSize(originalSize);
        images.forEach(i -> request.image(ImageInput.of(i)));
        float min = Args.given(minScore).map(DetectTable::minScore).orElse(Float.NEGATIVE_INFINITY);
        Optional<Path> file = Args.optionalPath("json", json);
        file.ifPresent(p -> OutputFiles.check("json", p, 1, ".json", "JSON", images));
        List<List<Detection>> detected = explainer.detect(request.build()).stream()
                .map(list -> list.stream().filter(d -> d.score() >= min).toList()).toList();
        String text = DetectTable.format(images, detected);
        if (file.isPresent()) {
            String document = DetectTable.json(images, detected);
            return text + "wrote " + writeFile(file.get(), "--json",
                    f -> Files.writeString(f, document, StandardCharsets.UTF_8)) + "\n";
        }
        return text;
    }

    @Descriptor("explains one image with several CAM methods and writes their pictures side by side as one PNG"
            + " grid; prints per method its target, run time and peak, or why it could not run; --model, --image"
            + " and --out must be given (Gogo marks every option [optional]); Ctrl-C cancels")
    public String compare(
            @Descriptor("model name or descriptor path")
            @Parameter(names = {"-m", "--model"}, absentValue = Args.ABSENT) String model,
            @Descriptor("the image file")
            @Parameter(names = {"-i", "--image"}, absentValue = Args.ABSENT) String image,
            @Descriptor("methods to compare, comma-separated, in grid order (default: every registered method)")
            @Parameter(names = {"--methods"}, absentValue = Args.ABSENT) String methods,
            @Descriptor("PNG file to write the grid to")
            @Parameter(names = {"-o", "--out"}, absentValue = Args.ABSENT) String out,
            @Descriptor("target spec such as class:3 or class:bulbasaur (default: the predicted class)")
            @Parameter(names = {"-t", "--target"}, absentValue = Args.ABSENT) String target,
            @Descriptor("target layer; repeat --layer or give a comma list for several (default: the model's"
                    + " default)")
            @Parameter(names = {"-l", "--layer"}, absentValue = Args.ABSENT) String layer,
            @Descriptor("a method option name=value given to every method; repeat for several")
            @Parameter(names = {"--option"}, absentValue = Args.ABSENT) String option,
            @Descriptor("average each map over horizontal flips and input scalings (six passes per method)")
            @Parameter(names = {"--aug-smooth"}, presentValue = "true", absentValue = "false") boolean augSmooth,
            @Descriptor("use the first principal component of the weighted activations")
            @Parameter(names = {"--eigen-smooth"}, presentValue = "true", absentValue = "false")
            boolean eigenSmooth,
            @Descriptor(AGGREGATE)
            @Parameter(names = {"--aggregate"}, absentValue = Args.ABSENT) String aggregate,
            @Descriptor("columns of the grid (default: one row up to 7 pictures)")
            @Parameter(names = {"--columns"}, absentValue = Args.ABSENT) String columns,
            @Descriptor("further --layer and --option values") String... more) {
        long start = System.nanoTime();
        RepeatedOptions repeated = RepeatedOptions.collect("cam:compare", layer, option, more);
        CompareOptions options = new CompareOptions(
                Args.required(model, "cam:compare needs --model <model name or descriptor path>;"
                        + " cam:models lists the registered models"),
                CompareOptions.oneImage(Args.required(image, "cam:compare needs --image <file>")),
                Args.given(methods).map(m -> Args.commaList("methods", m)).orElse(List.of()),
                Args.path("out", Args.required(out, "cam:compare needs --out <grid.png>")),
                repeated.layers(),
                Args.given(target).orElse(""),
                repeated.methodOptions(),
                augSmooth,
                eigenSmooth,
                Args.given(aggregate).map(LayerAggregation::parse),
                CompareOptions.columns(columns));

        Comparison comparison;
        try (ProgressBar bar = progressBar()) {
            comparison = explainer.compare(options.request(bar), options.methods(), options.columns());
        } catch (CamException e) {
            return cancelled("cam:compare", e);
        }
        RgbImage grid = comparison.grid();
        Path written = writeFile(options.out(), "--out", file -> writePng(grid, file));
        long ran = comparison.entries().stream().filter(e -> e.explanation() != null).count();
        return CompareTable.format(comparison) + String.format(Locale.ROOT,
                "%d of %d methods ran on %s in %d ms; wrote %s (%dx%d)%n", ran, comparison.entries().size(),
                options.image(), (System.nanoTime() - start) / 1_000_000, written, grid.width(), grid.height());
    }

    private ProgressBar progressBar() {
        return new ProgressBar(progressOut.get(), System::nanoTime, inPlace);
    }

    /**
     * A request cancelled with Ctrl-C (the shell interrupts the command's thread) is reported in one line and the
     * interrupt is consumed; any other failure propagates unchanged.
     */
    static String cancelled(String command, CamException e) {
        if (!isCancellation(e)) {
            throw e;
        }
        Thread.interrupted();
        String message = String.valueOf(e.getMessage());
        return command + " " + (message.startsWith("cancelled") ? message : "cancelled: " + message) + "\n";
    }

    /** @return whether the failure is a cancellation (the thread's interrupt is left as it is) */
    static boolean isCancellation(CamException e) {
        return Thread.currentThread().isInterrupted() || e.kind() == CamException.Kind.CANCELLED;
    }

    private static String describe(ImageExplanation image, List<Path> written) {
        Peak peak = Peak.of(image);
        float[] output = image.output();
        String predictedScore = image.predicted() >= 0 && image.predicted() < output.length
                ? String.format(Locale.ROOT, " (score %.4f)", output[image.predicted()]) : "";
        StringBuilder text = new StringBuilder();
        text.append(image.source()).append('\n');
        if (!image.detections().isEmpty()) {
            text.append("  detected   ").append(image.detections().stream()
                    .map(d -> (d.explained() ? "*" : "") + d).collect(Collectors.joining("; ")))
                    .append(image.detections().stream().anyMatch(Detection::explained) ? " (* explained)" : "")
                    .append('\n');
        } else if (image.predicted() >= 0) {
            text.append("  predicted  ").append(image.predicted()).append(' ').append(image.predictedLabel())
                    .append(predictedScore).append('\n');
        }
        text.append(String.format(Locale.ROOT, "  explained  %s, score %.4f%n", image.target(),
                image.targetScore()));
        if (image.flat()) {
            text.append("  peak       none: the map is flat (all zero), it shows nothing. Likely causes: ")
                    .append(ImageExplanation.FLAT_CAUSES).append('\n');
        } else {
            text.append(String.format(Locale.ROOT, "  peak       x=%d, y=%d (of %dx%d)%n", peak.x(), peak.y(),
                    image.width(), image.height()));
        }
        if (image.gradient() != null) {
            text.append("  gradient   a gradient image (--visualizer gradient)\n");
        }
        for (int c = 0; c < image.concepts().size(); c++) {
            text.append(String.format(Locale.ROOT, "  concept %-2d %s%n", c + 1,
                    image.concepts().get(c).legend().replace('\n', ' ')));
        }
        if (!written.isEmpty()) {
            text.append("  wrote      ")
                    .append(written.stream().map(Path::toString).collect(Collectors.joining(", "))).append('\n');
        }
        return text.toString();
    }

    private static String stages(Explanation explanation) {
        return explanation.timings().entrySet().stream()
                .map(e -> e.getKey() + " " + Math.round(ResultJson.millis(e.getValue())))
                .collect(Collectors.joining(", ")) + " ms";
    }

    private String plugins(PluginInfo.Kind kind, String detailsHeader) {
        List<PluginInfo> plugins = explainer.plugins(kind);
        String noun = kind.name().toLowerCase(Locale.ROOT);
        if (plugins.isEmpty()) {
            return "no " + noun + " plugins registered";
        }
        List<List<String>> rows = new ArrayList<>();
        for (PluginInfo p : plugins) {
            rows.add(List.of(p.name(), p.bundle(), p.details().isEmpty() ? "-" : String.join(", ", p.details())));
        }
        return Tables.format(List.of("NAME", "BUNDLE", detailsHeader), rows);
    }

    static String labels(List<String> labels) {
        if (labels.isEmpty()) {
            return "-";
        }
        String first = String.join(", ", labels.subList(0, Math.min(3, labels.size())));
        return labels.size() + " (" + first + (labels.size() > 3 ? ", ..." : "") + ")";
    }

    private static void writePng(RgbImage picture, Path file) throws IOException {
        Files.write(file, picture.png());
    }

    /** Writes an image's picture as the options render it (--visualizer, --image-weight, --colormap) to a PNG. */
    static Path writePicture(Explainer explainer, ExplainOptions options, Explanation explanation, int index,
            Path file, String option) {
        RgbImage picture = explainer.render(explanation, index, options.visualizer().orElse(null),
                options.renderOptions());
        return writeFile(file, option, f -> writePng(picture, f));
    }

    /** Writes an image's raw map, float32 [height, width], to a .npy file. */
    static Path writeMap(ImageExplanation image, Path file, String option) {
        return writeFile(file, option, f -> {
            try (OutputStream stream = Files.newOutputStream(f)) {
                NpyFiles.write(stream, image.cam(), image.height(), image.width());
            }
        });
    }

    private static Path writeFile(Path file, String option, FileWrite write) {
        Path absolute = file.toAbsolutePath();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            write.to(absolute);
        } catch (IOException e) {
            throw new CamException(option + ": cannot write " + absolute + ": " + e
                    + "; check the folder exists and is writable", e);
        }
        return absolute;
    }

    // Writes one output file.
    @FunctionalInterface
    private interface FileWrite {
        void to(Path file) throws IOException;
    }
}
