package org.camkit.shell.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.camkit.api.CamException;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ModelInfo;
import org.camkit.api.PluginInfo;
import org.camkit.api.RgbImage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// The Gogo commands of scope cam: list plugins, models and layers, and explain images from the shell.
@Component(service = CamCommands.class)
@GogoCommand(scope = "cam", function = {"methods", "backends", "targets", "visualizers", "models", "layers",
    "explain"})
public final class CamCommands {
    private static final String ABSENT = "";

    private final Explainer explainer;

    /** @param explainer the service the commands call */
    @Activate
    public CamCommands(@Reference Explainer explainer) {
        this.explainer = explainer;
    }

    @Descriptor("lists the CAM methods and what each needs from a backend")
    public String methods() {
        return plugins(PluginInfo.Kind.METHOD, "NEEDS");
    }

    @Descriptor("lists the model backends and their capabilities")
    public String backends() {
        return plugins(PluginInfo.Kind.BACKEND, "CAPABILITIES");
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
                    labels(m.labels())));
        }
        return Tables.format(List.of("NAME", "BACKEND", "INPUT", "DEFAULT LAYER", "LABELS"), rows);
    }

    @Descriptor("lists the layers of a model a CAM can target, in network order; * marks the default")
    public String layers(@Descriptor("model name or descriptor path") String model) {
        List<String> layers = explainer.layers(model);
        String defaultLayer = explainer.models().stream()
                .filter(m -> m.name().equals(model) || String.valueOf(m.descriptor()).equals(model))
                .map(ModelInfo::defaultLayer).findFirst().orElse(null);
        StringBuilder text = new StringBuilder();
        for (String layer : layers) {
            text.append(layer.equals(defaultLayer) ? "* " : "  ").append(layer).append('\n');
        }
        if (defaultLayer != null) {
            text.append("(* default layer)\n");
        }
        return text.toString();
    }

    @Descriptor("explains a model's prediction on one or more images with a class activation map; with several"
            + " images, --out, --cam-out and --json write name-<i>.ext per image (i from 0, in --image order)")
    public String explain(
            @Descriptor("model name or descriptor path (required)")
            @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("image file(s), comma-separated (required)")
            @Parameter(names = {"-i", "--image"}, absentValue = ABSENT) String image,
            @Descriptor("CAM method (default gradcam; see cam:methods)")
            @Parameter(names = {"--method"}, absentValue = ABSENT) String method,
            @Descriptor("target layer(s), comma-separated (default: the model's default; see cam:layers)")
            @Parameter(names = {"-l", "--layer"}, absentValue = ABSENT) String layer,
            @Descriptor("target spec such as class:3 or class:bulbasaur (default: the predicted class)")
            @Parameter(names = {"-t", "--target"}, absentValue = ABSENT) String target,
            @Descriptor("PNG file to write the rendered map to")
            @Parameter(names = {"-o", "--out"}, absentValue = ABSENT) String out,
            @Descriptor("visualizer for --out (default overlay; see cam:visualizers)")
            @Parameter(names = {"--visualizer"}, absentValue = ABSENT) String visualizer,
            @Descriptor("the image's share of the overlay, 0 to 1 (default 0.5)")
            @Parameter(names = {"--image-weight"}, absentValue = ABSENT) String imageWeight,
            @Descriptor("colormap for --out: jet (default), turbo, viridis, inferno, hot, ...")
            @Parameter(names = {"--colormap"}, absentValue = ABSENT) String colormap,
            @Descriptor(".npy file to write the raw float32 map to (H x W at the model input size)")
            @Parameter(names = {"--cam-out"}, absentValue = ABSENT) String camOut,
            @Descriptor("JSON file to write prediction, scores, target and timings to")
            @Parameter(names = {"--json"}, absentValue = ABSENT) String json) {
        long start = System.nanoTime();
        Map<String, String> given = new LinkedHashMap<>();
        given.put("model", model);
        given.put("image", image);
        given.put("method", method);
        given.put("layer", layer);
        given.put("target", target);
        given.put("out", out);
        given.put("visualizer", visualizer);
        given.put("image-weight", imageWeight);
        given.put("colormap", colormap);
        given.put("cam-out", camOut);
        given.put("json", json);
        ExplainOptions options = ExplainOptions.parse(given);

        Explanation explanation = explainer.explain(options.request());
        int count = explanation.images().size();
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < count; i++) {
            List<Path> written = write(options, explanation, i, count);
            summary.append(describe(explanation.images().get(i), written));
        }
        summary.append(String.format(Locale.ROOT, "%s at %s of model %s (%s): %d image(s) in %d ms (%s)%n",
                explanation.method(), String.join(",", explanation.layers()), explanation.model(),
                explanation.backend(), count, (System.nanoTime() - start) / 1_000_000, stages(explanation)));
        return summary.toString();
    }

    private List<Path> write(ExplainOptions options, Explanation explanation, int index, int count) {
        List<Path> written = new ArrayList<>();
        ImageExplanation image = explanation.images().get(index);
        Optional<Path> out = options.out().map(p -> OutputFiles.forImage(p, index, count));
        if (out.isPresent()) {
            RgbImage picture = explainer.render(explanation, index, options.visualizer(), options.renderOptions());
            written.add(writeFile(out.get(), "--out", file -> writePng(picture, file)));
        }
        Optional<Path> camOut = options.camOut().map(p -> OutputFiles.forImage(p, index, count));
        if (camOut.isPresent()) {
            written.add(writeFile(camOut.get(), "--cam-out",
                    file -> NpyWriter.write(file, image.cam(), image.height(), image.width())));
        }
        Optional<Path> json = options.json().map(p -> OutputFiles.forImage(p, index, count));
        if (json.isPresent()) {
            String text = ResultJson.of(explanation, index);
            written.add(writeFile(json.get(), "--json",
                    file -> Files.writeString(file, text, StandardCharsets.UTF_8)));
        }
        return written;
    }

    private static String describe(ImageExplanation image, List<Path> written) {
        Peak peak = Peak.of(image.cam(), image.width());
        float[] output = image.output();
        String predictedScore = image.predicted() >= 0 && image.predicted() < output.length
                ? String.format(Locale.ROOT, " (score %.4f)", output[image.predicted()]) : "";
        StringBuilder text = new StringBuilder();
        text.append(image.source()).append('\n');
        text.append("  predicted  ").append(image.predicted()).append(' ').append(image.predictedLabel())
                .append(predictedScore).append('\n');
        text.append(String.format(Locale.ROOT, "  explained  %s, score %.4f%n", image.target(),
                image.targetScore()));
        text.append(String.format(Locale.ROOT, "  peak       x=%d, y=%d (of %dx%d)%n", peak.x(), peak.y(),
                image.width(), image.height()));
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
        int width = picture.width();
        byte[] rgb = picture.rgb();
        BufferedImage image = new BufferedImage(width, picture.height(), BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[width * picture.height()];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (rgb[3 * p] & 0xff) << 16 | (rgb[3 * p + 1] & 0xff) << 8 | (rgb[3 * p + 2] & 0xff);
        }
        image.setRGB(0, 0, width, picture.height(), pixels, 0, width);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
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
