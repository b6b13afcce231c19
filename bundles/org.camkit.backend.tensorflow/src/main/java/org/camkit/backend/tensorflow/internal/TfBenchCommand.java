package org.camkit.backend.tensorflow.internal;

import java.nio.file.Path;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.camkit.api.Explainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// cam:tfbench: Grad-CAM on TensorFlow vs PyTorch vs TensorFlow's own forward+gradient, and ScoreCAM batches/s on both.
@Component(service = TfBenchCommand.class)
@GogoCommand(scope = "cam", function = "tfbench")
public final class TfBenchCommand {

    private final Explainer explainer;

    /** @param explainer the service whose explain calls are measured */
    @Activate
    public TfBenchCommand(@Reference Explainer explainer) {
        this.explainer = explainer;
    }

    @Descriptor("benchmarks the TensorFlow backend on the demo CNN or the residual network, batch 1: TensorFlow's own "
            + "forward+gradient (one session run), Grad-CAM explain on the TensorFlow model and on the PyTorch model "
            + "with the same weights, interleaved; then ScoreCAM on both (batches/s). Medians and p90 in ms, ratios explain TF / raw TF and "
            + "explain TF / explain PyTorch")
    public String tfbench(CommandSession session,
            @Descriptor("network: democnn (the demo CNN) or resnet (the fixtures' residual network, layer3; run from "
                    + "the repository root) (default democnn)")
            @Parameter(names = {"--network"}, absentValue = "democnn") String network,
            @Descriptor("tensorflow model: name or descriptor path (default: democnn demo-biased-tensorflow, "
                    + "architecture camkit-democnn; resnet fixtures/tensorflow/resnet224.json, architecture keras)")
            @Parameter(names = {"-m", "--model"}, absentValue = "") String model,
            @Descriptor("pytorch model with the same weights: name or descriptor path (default: democnn demo-biased; "
                    + "resnet fixtures/torchscript/resnet.json)")
            @Parameter(names = {"-p", "--pytorch"}, absentValue = "") String pytorch,
            @Descriptor("input width and height in pixels (default 224)")
            @Parameter(names = {"-s", "--size"}, absentValue = "224") int size,
            @Descriptor("measured Grad-CAM rounds, each running all three once (default 20)")
            @Parameter(names = {"-n", "--iterations"}, absentValue = "20") int iterations,
            @Descriptor("Grad-CAM warm-up rounds, not measured (default 3; ScoreCAM warms up once unless 0)")
            @Parameter(names = {"-w", "--warmup"}, absentValue = "3") int warmup,
            @Descriptor("target layer (default: the model's default layer)")
            @Parameter(names = {"-l", "--layer"}, absentValue = "") String layer,
            @Descriptor("ScoreCAM's batch-size option (default 16)")
            @Parameter(names = {"-b", "--batch-size"}, absentValue = "16") int batchSize,
            @Descriptor("measured ScoreCAM explanations per backend (default 3; 0 skips ScoreCAM)")
            @Parameter(names = {"--scorecam-iterations"}, absentValue = "3") int scoreCamIterations) {
        TfBench.Settings settings = new TfBench.Settings(size, iterations, warmup, layer, batchSize,
                scoreCamIterations);
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "camkit-bench");
        return new TfBench(explainer, session.getConsole(), workDir).run(TfBench.Network.parse(network), model, pytorch,
                settings);
    }
}
