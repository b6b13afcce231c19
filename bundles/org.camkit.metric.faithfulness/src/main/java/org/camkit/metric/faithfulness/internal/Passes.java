package org.camkit.metric.faithfulness.internal;

import java.util.List;
import java.util.function.BiFunction;
import org.camkit.api.CamException;
import org.camkit.spi.MetricData;
import org.camkit.spi.MetricProbe;
import org.camkit.spi.Tensor;

/**
 * Runs a metric's perturbed copies of one image through the model in batches ({@code batch-size}, at most what the
 * probe allows), reporting progress once per batch.
 */
final class Passes {

    /** The option every perturbation metric reads. */
    static final String BATCH_SIZE = "batch-size";
    /** Its description. */
    static final String BATCH_SIZE_HELP = "perturbed copies per forward pass, at least 1 (default 16; at most what "
            + "camkit.limits.batchPixels allows)";

    private Passes() {
    }

    /**
     * @param data   the metric's data
     * @param metric the metric's name, for messages
     * @return the batch size the request asks for, capped by the probe's limit
     */
    static int batchSize(MetricData data, String metric) {
        int batch = data.intOption(BATCH_SIZE, 16);
        if (batch < 1) {
            throw new CamException("metric '" + metric + "': option batch-size must be at least 1, got " + batch);
        }
        return Math.min(batch, data.probe().maxBatch());
    }

    /**
     * @param probe  the probe
     * @param copies the perturbed inputs, each {@code 3 * H * W} values
     * @param height the input's height
     * @param width  the input's width
     * @param batch  copies per pass
     * @param run    runs one batch {@code [B, 3, H, W]} and returns a value per row
     * @return per copy, its value
     */
    static double[] run(MetricProbe probe, List<float[]> copies, int height, int width, int batch,
            BiFunction<MetricProbe, Tensor, double[]> run) {
        int size = 3 * height * width;
        double[] out = new double[copies.size()];
        int total = (copies.size() + batch - 1) / batch;
        for (int start = 0, done = 0; start < copies.size(); start += batch) {
            int rows = Math.min(batch, copies.size() - start);
            float[] data = new float[rows * size];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(copies.get(start + r), 0, data, r * size, size);
            }
            double[] values = run.apply(probe, Tensor.of(data, rows, 3, height, width));
            System.arraycopy(values, 0, out, start, rows);
            probe.progress(++done, total);
        }
        return out;
    }

    /**
     * @param data  the metric's data
     * @param image an image index
     * @return the image's input multiplied by its map, channel by channel (pytorch-grad-cam's
     *         {@code multiply_tensor_with_cam})
     */
    static float[] timesMap(MetricData data, int image) {
        float[] x = data.input(image);
        float[] map = data.map(image);
        for (int c = 0; c < x.length / map.length; c++) {
            for (int p = 0; p < map.length; p++) {
                x[c * map.length + p] *= map[p];
            }
        }
        return x;
    }

    /** @return a runner scoring each row with the request's target on image {@code image} */
    static BiFunction<MetricProbe, Tensor, double[]> target(int image) {
        return (probe, batch) -> {
            float[] s = probe.scoreInputs(image, batch);
            double[] out = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i];
            }
            return out;
        };
    }

    /** @return a runner giving each row's softmax probability of class {@code c} */
    static BiFunction<MetricProbe, Tensor, double[]> probability(int c) {
        return (probe, batch) -> {
            Tensor outputs = probe.outputs(batch);
            int k = outputs.size() / outputs.dim(0);
            double[] out = new double[outputs.dim(0)];
            float[] row = new float[k];
            for (int r = 0; r < out.length; r++) {
                outputs.copyTo(r * k, row, 0, k);
                out[r] = softmax(row, c);
            }
            return out;
        };
    }

    /** @return softmax(row)[c], computed stably */
    static double softmax(float[] row, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return Math.exp(row[c] - max) / sum;
    }
}
