package org.camkit.backend.tensorflow.internal;

import java.util.Locale;
import org.camkit.api.CamException;
import org.camkit.spi.Tensor;

/** How a graph lays out its 4-d tensors; camkit's tensors are always NCHW, and the backend converts at its boundary. */
enum Layout {
    /** Channels last, TensorFlow's default. */
    NHWC,
    /** Channels first, as camkit. */
    NCHW;

    /**
     * @param value a descriptor's {@code layout} property, or null for the default
     * @param model the model's name, for the error
     * @return the layout
     */
    static Layout parse(String value, String model) {
        if (value == null || value.isBlank()) {
            return NHWC;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CamException("model '" + model + "': property \"layout\" must be NHWC or NCHW, got '" + value
                    + "'");
        }
    }

    /** @return the graph's tensor in camkit's layout: rank-4 NHWC becomes NCHW, anything else stays as it is */
    Tensor toCamkit(Tensor graph) {
        return this == NHWC && graph.rank() == 4 ? nhwcToNchw(graph) : graph;
    }

    /** @return camkit's tensor in the graph's layout: rank-4 NCHW becomes NHWC, anything else stays as it is */
    Tensor toGraph(Tensor camkit) {
        return this == NHWC && camkit.rank() == 4 ? nchwToNhwc(camkit) : camkit;
    }

    /** @return the graph shape of a tensor camkit sees as {@code shape} */
    long[] toGraph(long[] shape) {
        return this == NHWC && shape.length == 4 ? new long[] {shape[0], shape[2], shape[3], shape[1]}
                : shape.clone();
    }

    /** @return the camkit shape of a graph tensor shaped {@code shape} */
    long[] toCamkit(long[] shape) {
        return this == NHWC && shape.length == 4 ? new long[] {shape[0], shape[3], shape[1], shape[2]}
                : shape.clone();
    }

    static Tensor nhwcToNchw(Tensor t) {
        int n = t.dim(0);
        int h = t.dim(1);
        int w = t.dim(2);
        int c = t.dim(3);
        float[] out = new float[t.size()];
        for (int b = 0; b < n; b++) {
            int base = b * h * w * c;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int from = base + (y * w + x) * c;
                    int to = base + y * w + x;
                    for (int k = 0; k < c; k++) {
                        out[to + k * h * w] = t.get(from + k);
                    }
                }
            }
        }
        return Tensor.of(out, n, c, h, w);
    }

    static Tensor nchwToNhwc(Tensor t) {
        int n = t.dim(0);
        int c = t.dim(1);
        int h = t.dim(2);
        int w = t.dim(3);
        float[] out = new float[t.size()];
        for (int b = 0; b < n; b++) {
            int base = b * c * h * w;
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[base + (y * w + x) * c + k] = t.get(base + (k * h + y) * w + x);
                    }
                }
            }
        }
        return Tensor.of(out, n, h, w, c);
    }
}
