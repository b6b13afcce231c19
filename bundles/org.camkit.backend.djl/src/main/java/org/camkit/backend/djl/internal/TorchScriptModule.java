package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.List;
import org.camkit.api.CamException;

/*
 * A TorchScript module loaded by libtorch through DJL, in eval mode, with frozen parameters; its methods are called by
 * name. Calls are thread-safe. Use as context class loader (through ModelLock or ContextLoader).
 */
final class TorchScriptModule {

    static final String FORWARD = "forward";
    /** DJL's convention: an input array with this name prefix picks the module method to run. */
    private static final String METHOD_MARKER = "module_method:";

    private final String model;
    private final PtSymbolBlock block;
    private final List<String> methods;

    private TorchScriptModule(String model, PtSymbolBlock block) {
        this.model = model;
        this.block = block;
        this.methods = List.of(JniUtils.getMethodNames(block));
    }

    /**
     * Loads {@code file} into {@code manager} (which closes it); parameters stay usable by autograd
     * ({@code trainParam}), are frozen, and the module is in eval mode (dropout off, batch norm on running stats).
     */
    static TorchScriptModule load(String model, NDManager manager, Path file) {
        PtSymbolBlock block;
        try {
            block = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
        } catch (RuntimeException e) {
            String libtorch = "libtorch " + manager.getEngine().getVersion();
            String why = firstLine(e);
            String fix = why.contains("Unknown builtin op")
                    ? ". The file uses an operator " + libtorch + " does not have (it was saved by a newer torch): "
                    + "trace the code that uses it (torch.jit.trace records only the operators that run; a "
                    + "scripted F.interpolate or nn.Upsample refers to every resize mode), or save it with an older "
                    + "torch"
                    : ". Save the model with torch.jit.save, e.g. with tools/camkit-export";
            throw new CamException("model '" + model + "': " + libtorch + " cannot load " + file + " as TorchScript ("
                    + why + ")" + fix, e);
        }
        JniUtils.enableInferenceMode(block);
        block.freezeParameters(true);
        return new TorchScriptModule(model, block);
    }

    /** @return the module's method names, e.g. {@code forward}, {@code features_layer3}, {@code head_layer3} */
    List<String> methods() {
        return methods;
    }

    /**
     * Runs a method on one tensor. With {@code autograd} the call follows the thread's grad mode (turn it on to
     * record a graph); without, it runs in libtorch's inference mode and its result must not enter autograd.
     *
     * @return the method's result, in {@code x}'s manager
     */
    NDArray call(String method, NDArray x, boolean autograd) {
        NDArray marker = x.getManager().create(0f);
        marker.setName(METHOD_MARKER + method);
        NDList result = IValueUtils.forward(block, new NDList(x, marker), autograd);
        if (result.size() != 1) {
            throw new CamException("model '" + model + "': method " + method + " returned " + result.size()
                    + " tensors; camkit needs one tensor (the model output, or a layer's activations)");
        }
        return result.singletonOrThrow();
    }

    /** @return whether every parameter is frozen (no gradient is accumulated into it) */
    boolean frozen() {
        return block.getParameters().values().stream()
                .noneMatch(p -> JniUtils.requiresGrad((PtNDArray) p.getArray()));
    }

    /** Shortens a libtorch message (which carries a C++ stack trace) to its first line. */
    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
