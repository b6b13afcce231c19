package org.camkit.backend.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import org.camkit.api.CamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * libtorch 2.7.1's oneDNN computes wrong (sometimes NaN) input gradients for convolutions with few output channels on
 * some AVX2/AVX-512 CPUs (seen on AMD EPYC with AVX-512: 3x3 convolutions to 1-8 channels), not on every run; its
 * forward passes are right. Once, when libtorch loads, 72 small convolutions' input gradients are checked against the
 * transposed convolution computed in Java. If one is wrong, every back-propagation runs with oneDNN switched off
 * (at::globalContext().setUserEnabledMkldnn(false): ATen's own kernels, about 2.5x slower) and forward passes keep it;
 * a warning says so. Should the gradients still be wrong that way, oneDNN is switched off for good.
 * System property camkit.pytorch.onednn: auto (default: check), on (leave it on), off (switch it off for good).
 */
final class OneDnn {

    static final String PROPERTY = "camkit.pytorch.onednn";
    private static final double TOLERANCE = 1e-4;
    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    /** The checked convolutions: 3x3, these output and input channels, sizes and batches (padded when batched). */
    private static final int[] OUT = {1, 2, 3, 4, 6, 8}, IN = {2, 4, 16}, SIZE = {4, 8}, BATCH = {1, 2};

    /**
     * Forward passes and back-propagations taking turns, when back-propagations switch oneDNN off; null when they
     * do not. Set once, when libtorch loads. oneDNN's switch is global to libtorch: while a back-propagation runs
     * with it off, a forward pass of another thread would run without oneDNN too and give (slightly) other numbers
     * than alone.
     */
    private static volatile PhaseLock phases;

    private OneDnn() {
    }

    /**
     * Runs native forward work (a model's passes): with oneDNN on, never while a back-propagation has it off.
     * Re-entrant; a back-propagation inside it takes its own phase.
     */
    static <T> T forward(Supplier<T> action) {
        PhaseLock lock = phases;
        return lock == null ? action.get() : lock.run(true, action);
    }

    /**
     * Runs a back-propagation ({@code JniUtils.backward} and reading its gradients): with oneDNN off when the check
     * found its gradients wrong, never while a forward pass has it on. Call as context class loader.
     */
    static <T> T backward(Supplier<T> action) {
        PhaseLock lock = phases;
        return lock == null ? action.get() : lock.run(false, action);
    }

    /** Runs the check (as context class loader, engine loaded); switches oneDNN off when the gradients are wrong. */
    static void apply(Engine engine, Path libraryDir) {
        String mode = System.getProperty(PROPERTY, "auto").trim();
        switch (mode) {
            case "on" -> {
                return;
            }
            case "off" -> {
                setEnabled(libraryDir, false);
                LOG.info("oneDNN switched off ({}=off)", PROPERTY);
                return;
            }
            case "auto" -> {
            }
            default -> throw new CamException("system property " + PROPERTY + "=" + mode + " is not one of auto, "
                    + "on, off");
        }
        double error = worstError(engine);
        if (error <= TOLERANCE) {
            return;
        }
        phases = new PhaseLock(true, enabled -> setEnabled(libraryDir, enabled));
        double guarded = worstError(engine);
        if (guarded <= TOLERANCE) {
            LOG.warn("libtorch's oneDNN gave wrong convolution input gradients on this CPU (error {}); back-propagation"
                    + " now runs with oneDNN off, forward passes keep it (set {}=on to keep it everywhere)", error,
                    PROPERTY);
            return;
        }
        phases = null;
        setEnabled(libraryDir, false);
        double after = worstError(engine);
        if (after > TOLERANCE) {
            throw new CamException("libtorch computes wrong convolution input gradients on this CPU (error " + after
                    + " with oneDNN off, " + error + " with it on); gradients of camkit's methods would be wrong");
        }
        LOG.warn("libtorch's oneDNN gave wrong convolution input gradients on this CPU (error {}, {} with oneDNN off "
                + "in back-propagation only); switched it off, ATen's own kernels give them right (set {}=on to keep "
                + "oneDNN)", error, guarded, PROPERTY);
    }

    private static void setEnabled(Path libraryDir, boolean enabled) {
        try {
            NativeLibrary torch = NativeLibrary.getInstance(libraryDir.resolve(System.mapLibraryName("torch_cpu"))
                    .toString());
            Function context = torch.getFunction("_ZN2at13globalContextEv");
            Pointer global = (Pointer) context.invoke(Pointer.class, new Object[0]);
            torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invoke(Void.class, new Object[] {global,
                    enabled});
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new CamException("cannot switch oneDNN " + (enabled ? "on" : "off") + " in " + libraryDir + " ("
                    + PROPERTY + "): " + e.getMessage(), e);
        }
    }

    /** @return the largest difference between libtorch's and the Java input gradients over the cases */
    private static double worstError(Engine engine) {
        double worst = 0;
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try (NDManager manager = engine.newBaseManager()) {
            Random random = new Random(7);
            for (int out : OUT) {
                for (int in : IN) {
                    for (int size : SIZE) {
                        for (int batch : BATCH) {
                            int pad = batch - 1;
                            worst = Math.max(worst, error(manager, random, batch, in, out, size, 3, pad));
                        }
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return worst;
    }

    private static double error(NDManager manager, Random random, int batch, int in, int out, int size, int k,
            int pad) {
        Conv2d conv = Conv2d.builder().setFilters(out).setKernelShape(new Shape(k, k)).optPadding(new Shape(pad, pad))
                .build();
        conv.initialize(manager, DataType.FLOAT32, new Shape(batch, in, size, size));
        conv.freezeParameters(true);
        NDArray x = manager.create(gaussian(random, batch * in * size * size), new Shape(batch, in, size, size));
        x.setRequiresGradient(true);
        NDArray y = conv.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        int o = size + 2 * pad - k + 1;
        NDArray seedArray = manager.randomNormal(y.getShape());
        float[] all = backward(() -> {
            JniUtils.backward((PtNDArray) y, (PtNDArray) seedArray, false, false);
            return x.getGradient().toFloatArray();
        });
        float[] seeds = seedArray.toFloatArray();
        float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
        double worst = 0;
        for (int n = 0; n < batch; n++) {
            float[] got = java.util.Arrays.copyOfRange(all, n * in * size * size, (n + 1) * in * size * size);
            float[] seed = java.util.Arrays.copyOfRange(seeds, n * out * o * o, (n + 1) * out * o * o);
            worst = Math.max(worst, error(got, seed, w, in, out, size, k, pad, o));
        }
        return worst;
    }

    private static double error(float[] got, float[] seed, float[] w, int in, int out, int size, int k, int pad,
            int o) {
        double worst = 0;
        for (int c = 0; c < in; c++) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    double sum = 0;
                    for (int f = 0; f < out; f++) {
                        for (int di = 0; di < k; di++) {
                            for (int dj = 0; dj < k; dj++) {
                                int oi = i + pad - di;
                                int oj = j + pad - dj;
                                if (oi >= 0 && oj >= 0 && oi < o && oj < o) {
                                    sum += w[((f * in + c) * k + di) * k + dj] * seed[(f * o + oi) * o + oj];
                                }
                            }
                        }
                    }
                    double diff = Math.abs(got[(c * size + i) * size + j] - sum);
                    worst = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(worst, diff);
                }
            }
        }
        return worst;
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
