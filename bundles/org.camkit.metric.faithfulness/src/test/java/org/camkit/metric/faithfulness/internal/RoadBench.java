package org.camkit.metric.faithfulness.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Times {@link NoisyLinearImputer} on the ROAD target case (224x224x3, 80% of pixels removed by a smooth map, noise
 * 0) and writes its inputs and result for tools/road-bench/road_bench.py. Not a unit test: run its {@code main}
 * (tools/road-bench/run.sh does, on a pre-touched heap: each image allocates ~15 MB, and on a fresh heap the first
 * touch of new pages costs more than the solve).
 */
public final class RoadBench {

    static final int CHANNELS = 3;
    static final int SIZE = 224;
    static final double REMOVED_PERCENT = 80;
    static final int WARM_UP = 3;
    static final int MEASURED = 10;

    private RoadBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the folder to write {@code shape.txt}, {@code image.f32}, {@code keep.u8} (1 = known),
     *             {@code camkit.f32} and {@code camkit_ms.txt} into (created if missing)
     * @throws IOException if the folder cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RoadBench OUTPUT_DIR (got " + args.length + " arguments)");
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        Random random = new Random(20220202L);
        float[] image = image(random);
        boolean[] keep = keepBelowPercentile(smoothMap(random), 100 - REMOVED_PERCENT);
        float[] result = null;
        double[] millis = new double[MEASURED];
        for (int run = 0; run < WARM_UP + MEASURED; run++) {
            long start = System.nanoTime();
            result = NoisyLinearImputer.impute(image, CHANNELS, SIZE, SIZE, keep, 0, null);
            long took = System.nanoTime() - start;
            if (run >= WARM_UP) {
                millis[run - WARM_UP] = took / 1e6;
            }
        }
        Arrays.sort(millis);
        double median = (millis[MEASURED / 2 - 1] + millis[MEASURED / 2]) / 2;
        Files.writeString(out.resolve("shape.txt"), CHANNELS + " " + SIZE + " " + SIZE + "\n");
        Files.write(out.resolve("image.f32"), littleEndian(image));
        Files.write(out.resolve("keep.u8"), bytes(keep));
        Files.write(out.resolve("camkit.f32"), littleEndian(result));
        Files.writeString(out.resolve("camkit_ms.txt"), String.format("%.3f%n", median));
        System.out.printf("camkit NoisyLinearImputer %dx%dx%d, %.0f%% removed: median %.1f ms (min %.1f, max %.1f)%n",
                CHANNELS, SIZE, SIZE, REMOVED_PERCENT, median, millis[0], millis[MEASURED - 1]);
    }

    /** A normalised-looking image: per channel a few random waves plus pixel noise, values around N(0, 1). */
    static float[] image(Random random) {
        float[] image = new float[CHANNELS * SIZE * SIZE];
        for (int c = 0; c < CHANNELS; c++) {
            double[] fy = new double[3];
            double[] fx = new double[3];
            double[] phase = new double[3];
            for (int k = 0; k < 3; k++) {
                fy[k] = random.nextDouble() * 0.1;
                fx[k] = random.nextDouble() * 0.1;
                phase[k] = random.nextDouble() * 2 * Math.PI;
            }
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double v = 0.2 * random.nextGaussian();
                    for (int k = 0; k < 3; k++) {
                        v += 0.8 * Math.sin(fy[k] * y + fx[k] * x + phase[k]);
                    }
                    image[(c * SIZE + y) * SIZE + x] = (float) v;
                }
            }
        }
        return image;
    }

    /** A smooth random map, like an upsampled CAM: a 7x7 grid of Gaussian values, bilinearly upsampled. */
    static double[] smoothMap(Random random) {
        int grid = 7;
        double[] coarse = new double[grid * grid];
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = random.nextGaussian();
        }
        double[] map = new double[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            double gy = (y + 0.5) * grid / SIZE - 0.5;
            int y0 = Math.max(0, Math.min(grid - 2, (int) Math.floor(gy)));
            double ty = Math.max(0, Math.min(1, gy - y0));
            for (int x = 0; x < SIZE; x++) {
                double gx = (x + 0.5) * grid / SIZE - 0.5;
                int x0 = Math.max(0, Math.min(grid - 2, (int) Math.floor(gx)));
                double tx = Math.max(0, Math.min(1, gx - x0));
                double top = coarse[y0 * grid + x0] * (1 - tx) + coarse[y0 * grid + x0 + 1] * tx;
                double bottom = coarse[(y0 + 1) * grid + x0] * (1 - tx) + coarse[(y0 + 1) * grid + x0 + 1] * tx;
                map[y * SIZE + x] = top * (1 - ty) + bottom * ty;
            }
        }
        return map;
    }

    /** {@code keep = map < percentile(map, percent)}, the percentile linearly interpolated as numpy's default. */
    static boolean[] keepBelowPercentile(double[] map, double percent) {
        double[] sorted = map.clone();
        Arrays.sort(sorted);
        double rank = percent / 100 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(sorted.length - 1, low + 1);
        double threshold = sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
        boolean[] keep = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            keep[i] = map[i] < threshold;
        }
        return keep;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static byte[] bytes(boolean[] keep) {
        byte[] bytes = new byte[keep.length];
        for (int i = 0; i < keep.length; i++) {
            bytes[i] = (byte) (keep[i] ? 1 : 0);
        }
        return bytes;
    }
}
