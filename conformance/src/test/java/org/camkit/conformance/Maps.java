package org.camkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.camkit.core.internal.Pipeline;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.Tensor;

/** Raw method maps (before ReLU and normalisation) and comparisons. */
final class Maps {

    private Maps() {
    }

    /** What a method sees at a layer, and its maps, for a class target. */
    record Run(LayerData data, CamMaps maps) {
        /** @return per image the channel sum of the maps, {@code [N][h*w]} */
        float[][] summed() {
            return Maps.summed(maps.maps());
        }
    }

    static Run run(LoadedModel model, CamMethod method, Tensor input, String target, String layer) {
        Pipeline pipeline = Models.pipeline(model, method, target, java.util.List.of(layer));
        try (Pipeline.Pass pass = pipeline.open(input, null)) {
            LayerData data = pass.layerData(layer);
            return new Run(data, method.compute(data));
        }
    }

    static float[][] summed(Tensor t) {
        int n = t.dim(0);
        int c = t.dim(1);
        int area = t.dim(2) * t.dim(3);
        float[] data = t.toArray();
        float[][] out = new float[n][area];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < area; p++) {
                    out[i][p] += data[(i * c + k) * area + p];
                }
            }
        }
        return out;
    }

    /** @return the rows of a {@code [N, h, w]} map, {@code [N][h*w]} */
    static float[][] images(Tensor maps) {
        int area = maps.dim(1) * maps.dim(2);
        float[] data = maps.toArray();
        float[][] out = new float[maps.dim(0)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(data, i * area, (i + 1) * area);
        }
        return out;
    }

    /** @return the largest magnitude of a tensor's values */
    static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Asserts equality up to {@code relative} times the largest magnitude of the expected values per image. */
    static void assertClose(float[][] expected, float[][] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": images");
        for (int i = 0; i < expected.length; i++) {
            double scale = 0;
            for (float v : expected[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            double tolerance = relative * Math.max(scale, 1e-12);
            for (int p = 0; p < expected[i].length; p++) {
                assertEquals(expected[i][p], actual[i][p], tolerance, what + ": image " + i + " position " + p);
            }
        }
    }
}
