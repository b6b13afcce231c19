package org.camkit.backend.tensorflow.internal;

import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.propertytypes.Backend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Backend {@code tensorflow}, on TensorFlow Java 1.1.0 (TensorFlow 2.18 through JavaCPP), for TF1-style graphs and
 * Keras SavedModels exported with camkit's signatures. In a graph the target layer is a graph tensor: activations are
 * fetched, gradients come from {@code Graph.addGradients} seeded with the target's gradient, and perturbation methods
 * feed the layer's tensor directly; a Keras SavedModel does the same through its signatures. Tensors in NHWC are
 * shown to camkit as NCHW (and fed back converted).
 *
 * <p>Architectures (descriptor {@code architecture}):
 * <ul>
 * <li>{@code savedmodel}: a TF1-style SavedModel directory ({@code file}) with the properties {@code input},
 * {@code output} and {@code layers} (operation names), {@code layout} ({@code NHWC} by default, or {@code NCHW}) and
 * {@code tags} ({@code serve} by default). Capabilities: {@link Capability#ACTIVATIONS},
 * {@link Capability#GRADIENTS}, {@link Capability#FORWARD_FROM_LAYER}, {@link Capability#INPUT_GRADIENTS}, and
 * {@link Capability#BIAS_GRADIENTS} when the graph's biases between input and output are {@code BiasAdd}
 * operations and it has no batch norm. No {@link Capability#LINEAR_HEAD}: a graph does not declare one.</li>
 * <li>{@code frozen}: a frozen GraphDef file ({@code file}, weights as constants) with the properties of
 * {@code savedmodel} (but {@code tags}), read and served the same way.</li>
 * <li>{@code keras}: a Keras 3 / TF2 SavedModel directory ({@code file}) written by {@code tools/camkit-export-tf},
 * whose signatures cut the model at each layer of the property {@code layers} (comma-separated, network order).
 * Capabilities: {@link Capability#ACTIVATIONS}, {@link Capability#GRADIENTS}, {@link Capability#FORWARD_FROM_LAYER}
 * and {@link Capability#INPUT_GRADIENTS}.</li>
 * </ul>
 * {@link Capability#GUIDED_BACKPROP} is absent for every model: TensorFlow's registered ReLU gradient cannot be
 * swapped for the guided rule in a loaded graph.
 *
 * <p>Its engine baseline ({@link TfBaseline}, an {@link org.camkit.spi.EngineBaseline} service of the same name) runs
 * every architecture with TensorFlow alone, for {@code cam:bench}.
 *
 * <p>Runtime contract (JVM system properties, read when the first model loads; TensorFlow then stays loaded):
 * <ul>
 * <li>{@code camkit.tensorflow.natives}: a directory holding the jar
 * {@code org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64} unpacked as is
 * ({@code org/tensorflow/internal/c_api/linux-x86_64/libjnitensorflow.so}, {@code libtensorflow_cc.so.2},
 * {@code libtensorflow_framework.so.2}); it may be read-only. Without it, that jar must be on this bundle's class
 * path.</li>
 * <li>{@code org.bytedeco.javacpp.cachedir}: a writable directory for JavaCPP (else {@code ~/.javacpp/cache}).</li>
 * </ul>
 * TensorFlow loads once per JVM: a second copy of this bundle (update or refresh in place) refuses to load models
 * and asks for a restart.
 */
@Component(service = ModelBackend.class)
@Backend("tensorflow")
public final class TfBackend implements ModelBackend {

    /** The capability hint every TensorFlow model gives. */
    static final String GUIDED_HINT = "TensorFlow graphs give no guided ReLU backward (GUIDED_BACKPROP): use a "
            + "PyTorch model for guidedbackprop and guidedgradcam";

    private static final List<String> ARCHITECTURES = List.of(SavedModels.ID, SavedModels.FROZEN, KerasModel.ID);

    /** Creates the backend; TensorFlow loads with the first model, not here. */
    @Activate
    public TfBackend() {
    }

    @Override
    public LoadedModel load(ModelDescriptor descriptor) {
        String architecture = descriptor.architecture();
        if (!ARCHITECTURES.contains(architecture)) {
            throw new CamException("model '" + descriptor.name() + "': unknown architecture '" + architecture
                    + "' for backend 'tensorflow'; set \"architecture\" to one of " + ARCHITECTURES);
        }
        TensorFlowRuntime.load();
        return switch (architecture) {
            case KerasModel.ID -> KerasModel.load(descriptor);
            case SavedModels.FROZEN -> SavedModels.loadFrozen(descriptor);
            default -> SavedModels.load(descriptor);
        };
    }
}
