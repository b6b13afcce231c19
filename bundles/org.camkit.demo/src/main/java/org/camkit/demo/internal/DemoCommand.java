package org.camkit.demo.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.camkit.api.CamException;
import org.camkit.api.Evaluator;
import org.camkit.api.Explainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The Gogo command {@code cam:demo}: runs the biased-duck demo and returns its report. */
@Component(service = DemoCommand.class, property = {"osgi.command.scope=cam", "osgi.command.function=demo"})
public final class DemoCommand {

    private final Explainer explainer;
    private final Evaluator evaluator;

    /**
     * @param explainer the camkit explainer
     * @param evaluator scores the maps in the report's faithfulness section
     */
    @Activate
    public DemoCommand(@Reference(name = "explainer") Explainer explainer,
            @Reference(name = "evaluator") Evaluator evaluator) {
        this.explainer = explainer;
        this.evaluator = evaluator;
    }

    /**
     * @param session  the shell session (progress goes to its console)
     * @param count    held-out images
     * @param out      picture folder
     * @param seed     held-out set seed
     * @param batch    images per explain request
     * @param overlays overlay files per model
     * @param examples summary rows
     * @param methods  methods reported on the biased model, besides Grad-CAM
     * @param backend  the demo models' backend
     * @param faithful held-out scenes the faithfulness section scores, 0 to skip it
     * @param export   a folder to write the held-out scenes into as a COCO dataset instead of running the demo
     * @param size     the exported scenes' size in pixels, 0 for the models' input size
     * @param detector whether to run the detector section instead of the demo
     * @return the report's text (a string, so that Gogo prints it as written)
     */
    @Descriptor("show, with Grad-CAM, that demo-biased learnt the rubber duck and demo-clean the creature")
    public String demo(CommandSession session,
            @Descriptor("held-out images to explain per model") @Parameter(names = "--count", absentValue = "100")
            int count,
            @Descriptor("folder for the overlays and summary.png")
            @Parameter(names = "--out", absentValue = "camkit-out/demo") String out,
            @Descriptor("seed of the held-out images") @Parameter(names = "--seed", absentValue = "2024") long seed,
            @Descriptor("images per explain request") @Parameter(names = "--batch", absentValue = "16") int batch,
            @Descriptor("overlay files written per model") @Parameter(names = "--overlays", absentValue = "8")
            int overlays,
            @Descriptor("example rows in summary.png") @Parameter(names = "--examples", absentValue = "4")
            int examples,
            @Descriptor("methods whose duck-peak share on demo-biased is reported, comma-separated, or 'none'")
            @Parameter(names = "--methods", absentValue = "gradient") String methods,
            @Descriptor("backend of the demo models: pytorch, or e.g. tensorflow (models demo-biased-tensorflow, ...)")
            @Parameter(names = "--backend", absentValue = "pytorch") String backend,
            @Descriptor("held-out scenes with a duck whose maps on demo-biased are scored with pointing game, energy,"
                    + " deletion and ROAD against randomcam; 0 skips the section")
            @Parameter(names = "--faithful", absentValue = "16") int faithful,
            @Descriptor("write the --count held-out scenes (default 100) as PNGs and a COCO file into this folder"
                    + " and print the cam:evaluate command for them, instead of running the demo")
            @Parameter(names = "--export-dataset", absentValue = "") String export,
            @Descriptor("with --export-dataset: the scenes' width and height in pixels (default: the demo models' input"
                    + " size, 112); explaining resizes them to the input")
            @Parameter(names = "--size", absentValue = "0") int size,
            @Descriptor("run the detector section instead: on the --count held-out scenes, demo-detector must find the"
                    + " creature and the duck, and Grad-CAM for each found box must peak inside it; pictures go to"
                    + " <out>/detector")
            @Parameter(names = "--detector", presentValue = "true", absentValue = "false") boolean detector) {
        Path folder = resolve(session, out);
        if (detector) {
            return new DetectorRun(explainer, line -> session.getConsole().println(line))
                    .run(count, seed, folder.resolve("detector"), overlays, examples).toString();
        }
        DemoRun run = new DemoRun(explainer, evaluator, line -> session.getConsole().println(line));
        List<String> chosen = switch (methods.trim()) {
            case "gradient" -> DemoRun.GRADIENT_METHODS;
            case "none", "" -> List.of();
            default -> Arrays.stream(methods.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        };
        DemoRun.Options options = new DemoRun.Options(count, folder, seed, batch, overlays, examples, chosen, backend,
                faithful);
        if (export.isBlank() && size != 0) {
            throw new CamException("--size sets the size of the scenes --export-dataset writes; give --export-dataset"
                    + " <folder> too, or leave --size out");
        }
        return export.isBlank() ? run.run(options).toString()
                : run.export(options, resolve(session, export.trim()), size).toString();
    }

    private static Path resolve(CommandSession session, String path) {
        return session.currentDir() == null ? Path.of(path) : session.currentDir().resolve(path);
    }
}
