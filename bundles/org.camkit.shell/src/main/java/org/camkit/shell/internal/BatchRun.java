package org.camkit.shell.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.camkit.api.CamException;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageOutcome;
import org.camkit.api.Progress;

// cam:explain --images: explains many images in batches into an output folder, one index.jsonl line per image, and
// skips on a re-run the images the index holds as done.
final class BatchRun {
    static final int DEFAULT_BATCH_SIZE = 8;

    /** What is written per image besides its index line. */
    enum Output {
        /** {@code <name>.png}: the picture --visualizer renders (by default the overlay). */
        OVERLAY,
        /** {@code <name>.npy}: the raw float32 map. */
        MAP
    }

    /**
     * @param options    the explain options; their images are every image of the run
     * @param outDir     the output folder
     * @param outputs    what to write per image
     * @param batchSize  images per request
     * @param force      redo every image and start a new index
     */
    record Settings(ExplainOptions options, Path outDir, Set<Output> outputs, int batchSize, boolean force) {
        Settings {
            outputs = Set.copyOf(outputs);
        }
    }

    private final Explainer explainer;
    private final Settings settings;
    private final ProgressBar bar;
    private final LongSupplier clock;
    private int explained;
    private int failed;

    BatchRun(Explainer explainer, Settings settings, ProgressBar bar, LongSupplier clock) {
        this.explainer = explainer;
        this.settings = settings;
        this.bar = bar;
        this.clock = clock;
    }

    /** Runs once. @return the summary: done, skipped, failed, time and pace, or where an interrupted run stopped */
    String run() {
        long start = clock.getAsLong();
        Path index = settings.outDir().resolve(BatchIndex.FILE).toAbsolutePath();
        List<Path> all = settings.options().images();
        Map<Path, String> names = names(all);
        Map<String, Object> asked = asked();
        JsonElement askedLine = JsonParser.parseString(ResultJson.line(asked)); // as a line records it
        Map<String, JsonObject> last = settings.force() ? Map.of() : BatchIndex.read(index);
        List<Path> todo = all.stream()
                .filter(p -> !BatchIndex.done(last.get(key(p)), askedLine, files(names.get(p)).values())).toList();
        int skipped = all.size() - todo.size();
        String stopped = null;
        try (BatchIndex lines = BatchIndex.open(index, settings.force()); ProgressBar closing = bar) {
            String task = "explaining " + todo.size() + " images";
            if (!todo.isEmpty()) {
                bar.update(task, 0, todo.size());
            }
            for (int from = 0; from < todo.size() && stopped == null; from += settings.batchSize()) {
                if (Thread.currentThread().isInterrupted()) {
                    stopped = "interrupted";
                    break;
                }
                List<Path> batch = todo.subList(from, Math.min(todo.size(), from + settings.batchSize()));
                try { // a batch camkit refuses for an image is explained image by image: only the bad image fails
                    record(batch, explainer.explainEach(settings.options().request(Progress.NONE, batch)), names,
                            asked, lines);
                } catch (CamException e) {
                    if (!CamCommands.isCancellation(e)) {
                        throw e; // no image could pass this request: the run stops with camkit's error
                    }
                    stopped = String.valueOf(e.getMessage());
                }
                bar.update(task, explained + failed, todo.size());
            }
        }
        double seconds = (clock.getAsLong() - start) / 1e9;
        String summary = String.format(Locale.ROOT, "%d explained, %d skipped (done in %s), %d failed of %d images"
                + " in %.1f s, %.1f images/s; index %s%n", explained, skipped, BatchIndex.FILE, failed, all.size(),
                seconds, seconds > 0 ? explained / seconds : 0, index);
        if (stopped != null) {
            Thread.interrupted();
            summary = "cam:explain cancelled (" + stopped + "); " + summary
                    + "run the same command again to go on where it stopped\n";
        }
        return summary;
    }

    /**
     * @return what an image's results depend on besides the image, as its index line records it ({@code asked}): a
     *         line asked otherwise (another model, method, target, option, visualizer...) is not done for this run
     */
    private Map<String, Object> asked() {
        ExplainOptions o = settings.options();
        Map<String, Object> asked = new TreeMap<>();
        asked.put("model", o.model());
        asked.put("method", o.method());
        asked.put("layers", o.layers());
        asked.put("target", o.target());
        asked.put("options", new TreeMap<>(o.methodOptions()));
        asked.put("augSmooth", o.augSmooth());
        asked.put("eigenSmooth", o.eigenSmooth());
        asked.put("originalSize", o.originalSize());
        asked.put("aggregation", o.aggregation().map(Object::toString).orElse(""));
        asked.put("visualizer", o.visualizer().orElse(""));
        asked.put("render", new TreeMap<>(o.renderOptions()));
        return asked; // the outputs are not: a line lists its files, and done() wants this run's among them
    }

    /** @return the files {@code --outputs} asks for an image of that output name, by output */
    private Map<Output, Path> files(String name) {
        Map<Output, Path> files = new EnumMap<>(Output.class);
        for (Output output : settings.outputs()) {
            files.put(output, settings.outDir().resolve(name + (output == Output.OVERLAY ? ".png" : ".npy")));
        }
        return files;
    }

    /** Writes the images' files and index lines (an error line for an image camkit could not explain). */
    private void record(List<Path> batch, List<ImageOutcome> outcomes, Map<Path, String> names,
            Map<String, Object> asked, BatchIndex lines) {
        for (int i = 0; i < batch.size(); i++) {
            ImageOutcome outcome = outcomes.get(i);
            if (outcome.failure() != null) {
                lines.write(error(batch.get(i), outcome.failure()));
                failed++;
                continue;
            }
            Explanation explanation = outcome.explanation();
            List<String> files = new ArrayList<>();
            files(names.get(batch.get(i))).forEach((output, file) -> files.add((switch (output) {
                case OVERLAY -> CamCommands.writePicture(explainer, settings.options(), explanation, outcome.index(),
                        file, "--out-dir");
                case MAP -> CamCommands.writeMap(outcome.image(), file, "--out-dir");
            }).toString()));
            Map<String, Object> line = ResultJson.fields(explanation, outcome.index());
            line.put("batchSize", explanation.images().size());
            line.put("files", files);
            line.put("asked", asked);
            lines.write(line);
            explained++;
        }
    }

    private Map<String, Object> error(Path image, CamException e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("image", key(image));
        line.put("model", settings.options().model());
        line.put("method", settings.options().method());
        line.put("error", String.valueOf(e.getMessage()));
        return line;
    }

    /** @return how the index names an image: its absolute path, as the request gives it */
    static String key(Path image) {
        return image.toAbsolutePath().normalize().toString();
    }

    /**
     * @return per image the base name of its output files: the file name without extension, with {@code -2},
     *         {@code -3}... for later images whose name is taken (in listing order; case does not count)
     */
    static Map<Path, String> names(List<Path> images) {
        Map<Path, String> names = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (Path image : images) {
            String file = image.getFileName().toString();
            int dot = file.lastIndexOf('.');
            String stem = dot > 0 ? file.substring(0, dot) : file;
            String name = stem;
            for (int n = 2; !used.add(name.toLowerCase(Locale.ROOT)); n++) {
                name = stem + "-" + n;
            }
            names.put(image, name);
        }
        return names;
    }

    /**
     * @param value the {@code --outputs} value, absent for the overlay only
     * @return the outputs named, a comma list of overlay and map
     */
    static Set<Output> outputs(String value) {
        if (Args.given(value).isEmpty()) {
            return EnumSet.of(Output.OVERLAY);
        }
        Set<Output> outputs = EnumSet.noneOf(Output.class);
        for (String item : Args.commaList("outputs", value)) {
            try {
                outputs.add(Output.valueOf(item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new CamException("--outputs '" + value + "' names '" + item + "'; give overlay, map or"
                        + " overlay,map (the picture <name>.png, the raw map <name>.npy)", e);
            }
        }
        return outputs;
    }

    /** @return the {@code --batch-size} value, a whole number from 1, {@value #DEFAULT_BATCH_SIZE} when absent */
    static int batchSize(String value) {
        String given = Args.given(value).orElse(String.valueOf(DEFAULT_BATCH_SIZE));
        try {
            int size = Integer.parseInt(given);
            if (size >= 1) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CamException("--batch-size is '" + value + "'; give a whole number of images per request from 1,"
                + " e.g. " + DEFAULT_BATCH_SIZE);
    }
}
