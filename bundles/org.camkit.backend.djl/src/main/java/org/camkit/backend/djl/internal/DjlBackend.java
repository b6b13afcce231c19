package org.camkit.backend.djl.internal;

import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.propertytypes.Backend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Backend {@code pytorch}, on libtorch through DJL, for two kinds of models.
 *
 * <p><b>TorchScript models</b> (descriptor {@code "architecture": "torchscript"}, or no architecture and a
 * {@code .pt}, {@code .pth} or {@code .torchscript} file) follow camkit's export contract: the file (saved in eval
 * mode by {@code torch.jit.save}, e.g. by {@code tools/camkit-export}) exports {@code forward(x)} and, per exported
 * layer {@code L}, {@code features_L(x)} (the layer's output) and {@code head_L(a)} (the model output from it). The
 * layers are those method pairs, in the order of the descriptor property {@code layers} (comma-separated) when
 * given; a {@code defaultLayer} that is not exported fails the load. The model runs once on zeros of the
 * descriptor's input size when it loads, so a wrong size or a broken split fails there. Layers give activations and
 * gradients; token activations {@code [N, T, D]} come out as the descriptor's {@code tokens} grid
 * {@code [N, D, h, w]}. Capabilities: {@link Capability#ACTIVATIONS}, {@link Capability#GRADIENTS},
 * {@link Capability#INPUT_GRADIENTS} and {@link Capability#FORWARD_FROM_LAYER} (not for token layouts with a class
 * token); a file without the split loads with input gradients only, and its capability hint says how to export it.
 * The model output may have any shape ({@code [N, K]}, or {@code [N, K, H, W]} for segmentation).
 *
 * <p><b>Networks built in Java</b> by {@link Architectures} (descriptor {@code architecture}), with weights in the
 * {@link Weights} format (descriptor {@code file}). The class count is the number of labels, or the descriptor
 * property {@code classes} when there are none. They provide every {@link Capability}; {@link Capability#LINEAR_HEAD}
 * only for networks ending in a global average pool and a linear layer (a model's {@code linearHead()} role).
 * Guided backpropagation replaces the backward of ReLU blocks ({@code Activation.reluBlock()}); FullGrad's bias terms
 * come from every child with a bias (convolution, linear) and from batch norms (their effective bias).
 *
 * <p>Its engine baseline ({@link DjlBaseline}, an {@link org.camkit.spi.EngineBaseline} service of the same name)
 * runs both kinds of models with DJL alone, for {@code cam:bench}.
 *
 * <p>Runtime contract (JVM system properties, read when the first model loads; libtorch then stays loaded):
 * <ul>
 * <li>{@code camkit.pytorch.natives} (required): a directory holding the jar
 * {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64} unpacked as is, i.e.
 * {@code native/lib/pytorch.properties} and {@code pytorch/cpu/linux-x86_64/libtorch.so} (with libc10,
 * libtorch_cpu, libgomp). It may be read-only. From it the backend sets {@code PYTORCH_LIBRARY_PATH},
 * {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR} for DJL (environment variables of those names would win).</li>
 * <li>{@code DJL_CACHE_DIR}: a writable directory; DJL extracts its JNI library (from the embedded pytorch-jni jar)
 * to {@code <DJL_CACHE_DIR>/pytorch/2.7.1-cpu-linux-x86_64/}.</li>
 * <li>{@code ai.djl.offline=true}: no downloads and no telemetry.</li>
 * </ul>
 * libtorch loads once per JVM: a second copy of this bundle (update or refresh in place) refuses to load models and
 * asks for a restart.
 */
@Component(service = ModelBackend.class)
@Backend("pytorch")
public final class DjlBackend implements ModelBackend {

    /** Creates the backend; libtorch loads with the first model, not here. */
    @Activate
    public DjlBackend() {
    }

    @Override
    public LoadedModel load(ModelDescriptor descriptor) {
        var engine = PyTorchRuntime.engine();
        if (TorchScriptModel.describes(descriptor)) {
            return ContextLoader.call(() -> TorchScriptModel.load(engine, descriptor));
        }
        return ContextLoader.call(() -> DjlModel.load(engine, descriptor));
    }
}
