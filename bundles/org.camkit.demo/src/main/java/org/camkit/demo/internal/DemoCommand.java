package org.camkit.demo.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.camkit.api.Explainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The Gogo command {@code cam:demo}: runs the biased-duck demo and returns its report. */
@Component(service = DemoCommand.class, property = {"osgi.command.scope=cam", "osgi.command.function=demo"})
public final class DemoCommand {

    private final Explainer explainer;

    /** @param explainer the camkit explainer */
    @Activate
    public DemoCommand(@Reference(name = "explainer") Explainer explainer) {
        this.explainer = explainer;
    }

    /**
     * @param session  the shell session (progress goes to its console)
     * @param count    held-out images
     * @param out      picture folder
     * @param seed     held-out set seed
     * @param batch    images per explain request
     * @param overlays overlay files per model
     * @param examples summary rows
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
            @Parameter(names = "--backend", absentValue = "pytorch") String backend) {
        Path folder = session.currentDir() == null ? Path.of(out) : session.currentDir().resolve(out);
        DemoRun run = new DemoRun(explainer, line -> session.getConsole().println(line));
        List<String> chosen = switch (methods.trim()) {
            case "gradient" -> DemoRun.GRADIENT_METHODS;
            case "none", "" -> List.of();
            default -> Arrays.stream(methods.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        };
        return run.run(new DemoRun.Options(count, folder, seed, batch, overlays, examples, chosen, backend))
                .toString();
    }
}
