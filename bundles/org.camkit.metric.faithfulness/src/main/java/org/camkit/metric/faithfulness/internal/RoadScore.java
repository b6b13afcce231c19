package org.camkit.metric.faithfulness.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.camkit.api.CamException;
import org.camkit.spi.MetricData;

/**
 * ROAD (Rong et al., 2022, "A consistent and efficient evaluation strategy for attribution methods"), as
 * pytorch-grad-cam's {@code metrics/road.py} computes it: for a percentile {@code p}, MoRF removes the pixels whose map
 * value is at or above the map's p-th percentile (NumPy's linear interpolation) and LeRF does the same on
 * {@code 1 - map}; removed pixels are filled by the {@link NoisyLinearImputer}; each value is the target's score after
 * imputation minus its score on the image. Averaged over the percentiles; combined = (LeRF − MoRF) / 2, higher is
 * better. pytorch-grad-cam draws its noise from torch's generator, camkit from {@link Random} seeded per image, so
 * values with noise agree in distribution, not digit for digit; with noise 0 they agree exactly.
 */
final class RoadScore {

    static final String PERCENTILES = "percentiles";
    static final String NOISE = "noise";
    static final String SEED = "seed";

    /** MoRF and LeRF per percentile, their means and the combined value. */
    record Result(double[] morf, double[] lerf, double morfMean, double lerfMean, double combined) {
    }

    private RoadScore() {
    }

    /**
     * @param data     the metric's data
     * @param image    the image index
     * @param metric   the metric's name, for messages
     * @param defaults the percentiles when the request gives none
     * @return the image's ROAD values
     */
    static Result score(MetricData data, int image, String metric, int[] defaults) {
        int[] percentiles = percentiles(data, metric, defaults);
        double noise = data.doubleOption(NOISE, 0.01);
        if (!(noise >= 0)) {
            throw new CamException("metric '" + metric + "': option noise must be at least 0, got " + noise);
        }
        Random random = new Random(data.intOption(SEED, 0));
        int h = data.maps().dim(1);
        int w = data.maps().dim(2);
        float[] input = data.input(image);
        float[] map = data.map(image);
        float[] inverse = new float[map.length];
        for (int p = 0; p < map.length; p++) {
            inverse[p] = 1f - map[p];
        }
        List<float[]> copies = new ArrayList<>();
        for (float[] order : List.of(map, inverse)) {
            for (int percentile : percentiles) {
                copies.add(NoisyLinearImputer.impute(input, 3, h, w, keep(order, percentile), noise, random));
            }
        }
        double[] scores = Passes.run(data.probe(), copies, h, w, Passes.batchSize(data, metric),
                Passes.target(image));
        double y = data.scores()[image];
        int k = percentiles.length;
        double[] morf = new double[k];
        double[] lerf = new double[k];
        for (int i = 0; i < k; i++) {
            morf[i] = (float) scores[i] - (float) y;
            lerf[i] = (float) scores[k + i] - (float) y;
        }
        double morfMean = Arrays.stream(morf).average().orElseThrow();
        double lerfMean = Arrays.stream(lerf).average().orElseThrow();
        return new Result(morf, lerf, morfMean, lerfMean, (lerfMean - morfMean) / 2);
    }

    /** @return the pixels kept at a percentile: those below the map's p-th percentile */
    static boolean[] keep(float[] map, double percentile) {
        double threshold = percentile(map, percentile);
        boolean[] keep = new boolean[map.length];
        for (int p = 0; p < map.length; p++) {
            keep[p] = map[p] < threshold;
        }
        return keep;
    }

    /** @return NumPy's {@code np.percentile(values, q)} (linear interpolation between the closest ranks) */
    static double percentile(float[] values, double q) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * ((double) sorted[hi] - sorted[lo]);
    }

    private static int[] percentiles(MetricData data, String metric, int[] defaults) {
        String text = data.options().get(PERCENTILES);
        if (text == null) {
            return defaults;
        }
        try {
            int[] out = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (out.length == 0 || Arrays.stream(out).anyMatch(p -> p < 0 || p > 100)) {
                throw new NumberFormatException();
            }
            return out;
        } catch (NumberFormatException e) {
            throw new CamException("metric '" + metric + "': option percentiles must be integers in [0, 100]"
                    + " separated by commas, e.g. 10,20,30, got '" + text + "'");
        }
    }
}
