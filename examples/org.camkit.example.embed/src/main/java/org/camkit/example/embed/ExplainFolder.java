package org.camkit.example.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.launcher.CamkitRuntime;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A plain Java application that embeds camkit: it starts the runtime through the launcher's API, explains every image
 * of a folder with Grad-CAM, writes an overlay per image and a CSV of the predictions, prints the CSV, and stops.
 *
 * <pre>
 * java -jar org.camkit.example.embed.jar HOME MODELS MODEL IMAGES OUT
 *   HOME    the runtime home (launcher/target/camkit)
 *   MODELS  the model descriptors folder (models)
 *   MODEL   a model name, e.g. demo-clean
 *   IMAGES  a folder of PNG or JPEG images
 *   OUT     where results.csv and IMAGE.overlay.png go
 * </pre>
 */
public final class ExplainFolder {
    /** The CSV's first line. */
    static final String HEADER = "image,predicted,score,peak_x,peak_y,error";

    private ExplainFolder() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: ExplainFolder HOME MODELS MODEL IMAGES OUT");
            System.exit(2);
        }
        List<String> csv = explainFolder(Path.of(args[0]), Path.of(args[1]), args[2], Path.of(args[3]),
                Path.of(args[4]));
        csv.forEach(System.out::println);
    }

    /**
     * @return the lines of {@code OUT/results.csv}: the header, then one line per image in file name order; an image
     *         camkit cannot explain gets its error in the last column, and the others go on
     */
    static List<String> explainFolder(Path home, Path models, String model, Path images, Path out) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(images)) {
            files = list.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no PNG or JPEG images in " + images.toAbsolutePath());
        }
        Files.createDirectories(out);
        List<String> csv = new ArrayList<>(List.of(HEADER));
        // The host shares org.camkit.api with the bundles (hostPackagesOf), so it can call the Explainer service.
        try (CamkitRuntime runtime = CamkitRuntime.builder(home).features("pytorch").modelsDir(models)
                .hostPackagesOf("org.camkit.api").start()) {
            runtime.awaitReady();
            BundleContext context = runtime.context();
            ServiceReference<Explainer> reference = context.getServiceReference(Explainer.class);
            Explainer explainer = context.getService(reference);
            try {
                for (Path file : files) {
                    csv.add(explain(explainer, model, file, out));
                }
            } finally {
                context.ungetService(reference);
            }
        }
        Files.write(out.resolve("results.csv"), csv);
        return csv;
    }

    // One image: its CSV line, and its overlay beside the CSV.
    private static String explain(Explainer explainer, String model, Path file, Path out) throws IOException {
        String name = file.getFileName().toString();
        try {
            Explanation explanation = explainer.explain(ExplainRequest.builder(model).method("gradcam")
                    .image(ImageInput.of(file)).build());
            Files.write(out.resolve(name + ".overlay.png"), explainer.render(explanation, 0, "overlay", Map.of()).png());
            ImageExplanation result = explanation.images().get(0);
            int peak = result.peak();
            return String.format(Locale.ROOT, "%s,%s,%.4f,%d,%d,", name, result.predictedLabel(),
                    result.targetScore(), peak % result.width(), peak / result.width());
        } catch (CamException e) {
            return name + ",,,,," + e.getMessage().replace(',', ';').replace('\n', ' ');
        }
    }
}
