package org.camkit.metric.faithfulness.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricValues;

/**
 * RISE's deletion and insertion curves (Petsiuk et al., 2018). Pixels are ordered by the map, largest first, ties
 * in raster order; at step {@code k} of {@code S} the first {@code floor(k·H·W/S)} of them (all channels) are deleted
 * (set to 0 in the normalised space) or inserted (copied from the image into its blurred copy); the value at each
 * step is the softmax probability of the class predicted on the image. The area under the curve is the trapezoid
 * rule on {@code x = k/S}. The blur is a sampled Gaussian of 11×11 taps and σ 5, normalised to sum 1
 * ({@code cv2.getGaussianKernel(11, 5)} on each axis), with zeros outside the image (RISE's {@code conv2d} padding).
 */
final class Curves {

    static final String STEPS = "steps";
    /** The options of both metrics. */
    static final Map<String, String> OPTIONS = Map.of(
            STEPS, "the number of deletion or insertion steps, at least 1 (default 20: 21 forward passes)",
            Passes.BATCH_SIZE, Passes.BATCH_SIZE_HELP);

    /** RISE's blur: 11 taps, σ 5. */
    private static final int TAPS = 11;
    private static final double SIGMA = 5;

    private Curves() {
    }

    static MetricValues score(MetricData data, String name, boolean insertion) {
        int steps = data.intOption(STEPS, 20);
        if (steps < 1) {
            throw new CamException("metric '" + name + "': option steps must be at least 1, got " + steps);
        }
        int batch = Passes.batchSize(data, name);
        int h = data.maps().dim(1);
        int w = data.maps().dim(2);
        int plane = h * w;
        double[] auc = new double[data.images()];
        List<MetricValues.Curve> curves = new ArrayList<>();
        double[] x = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            x[k] = (double) k / steps;
        }
        for (int i = 0; i < auc.length; i++) {
            float[] image = data.input(i);
            int[] order = order(data.map(i));
            List<float[]> copies = new ArrayList<>();
            float[] current = insertion ? blur(image, h, w) : image.clone();
            int changed = 0;
            for (int k = 0; k <= steps; k++) {
                int upTo = (int) ((long) k * plane / steps);
                for (; changed < upTo; changed++) {
                    int p = order[changed];
                    for (int c = 0; c < 3; c++) {
                        current[c * plane + p] = insertion ? image[c * plane + p] : 0f;
                    }
                }
                copies.add(current.clone());
            }
            double[] y = Passes.run(data.probe(), copies, h, w, batch,
                    Passes.probability(argmax(data.outputs().get(i))));
            auc[i] = auc(y);
            curves.add(new MetricValues.Curve(name, i, x, y, "fraction of pixels " + (insertion ? "inserted"
                    : "deleted"), "probability of the class predicted on the image"));
        }
        return new MetricValues(Map.of(name, auc), curves);
    }

    /** @return the trapezoid area under {@code y} on an even grid over [0, 1] */
    static double auc(double[] y) {
        int s = y.length - 1;
        double sum = 0;
        for (double v : y) {
            sum += v;
        }
        return (sum - (y[0] + y[s]) / 2) / s;
    }

    /** @return the pixel indices by map value, largest first, ties in raster order */
    static int[] order(float[] map) {
        Integer[] idx = new Integer[map.length];
        for (int p = 0; p < idx.length; p++) {
            idx[p] = p;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(map[b], map[a])); // a stable sort: ties keep raster order
        int[] out = new int[idx.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = idx[p];
        }
        return out;
    }

    /** @return the image {@code [3, h, w]} blurred with RISE's Gaussian, zeros outside */
    static float[] blur(float[] image, int h, int w) {
        double[] k = new double[TAPS];
        double sum = 0;
        int r = TAPS / 2;
        for (int i = 0; i < TAPS; i++) {
            k[i] = Math.exp(-(i - r) * (i - r) / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < TAPS; i++) {
            k[i] /= sum;
        }
        float[] out = new float[image.length];
        double[] rows = new double[h * w];
        int plane = h * w;
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        int xx = x + t;
                        if (xx >= 0 && xx < w) {
                            s += k[t + r] * image[base + y * w + xx];
                        }
                    }
                    rows[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        int yy = y + t;
                        if (yy >= 0 && yy < h) {
                            s += k[t + r] * rows[yy * w + x];
                        }
                    }
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
