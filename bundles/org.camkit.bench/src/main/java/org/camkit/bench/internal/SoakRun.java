package org.camkit.bench.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;

/*
 * cam:bench --soak N: N Grad-CAM explanations in a row on one model (a new request each time, on one of a few
 * synthetic images), with the process's resident memory (VmRSS) read at ten checkpoints after a warm-up of a tenth of
 * the run. Memory is flat when RSS at the end is within 5 % of RSS at the first checkpoint; the Java heap is reported
 * beside it (after a GC at each checkpoint), so a growing heap and growing native memory can be told apart.
 */
final class SoakRun {

    /** RSS may grow at most this share between the first checkpoint and the last. */
    static final double BUDGET = 0.05;
    private static final int CHECKPOINTS = 10;
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Bench bench;

    SoakRun(Bench bench) {
        this.bench = bench;
    }

    String run(String model, int explanations, Settings settings) {
        if (explanations < CHECKPOINTS * 10) {
            throw new CamException("cam:bench --soak needs at least " + CHECKPOINTS * 10 + " explanations, got "
                    + explanations);
        }
        Subject subject = bench.subject(model, settings.size());
        String layer = settings.layerOr(subject.descriptor().defaultLayer());
        List<ExplainRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RgbImage image = Bench.syntheticImage(subject.size(), i);
            requests.add(ExplainRequest.builder(subject.explained()).image(ImageInput.of(image)).layer(layer)
                    .build());
        }
        PrintStream console = bench.console();
        int warmup = explanations / CHECKPOINTS;
        // ten checkpoints from the end of the warm-up to the last explanation, evenly spaced
        Set<Integer> at = new TreeSet<>();
        for (int k = 0; k < CHECKPOINTS; k++) {
            at.add(warmup + (int) Math.round((double) k * (explanations - warmup) / (CHECKPOINTS - 1)));
        }
        List<long[]> checkpoints = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < explanations; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CamException("cam:bench --soak was interrupted after " + i + " explanations");
            }
            bench.explainer().explain(requests.get(i % requests.size()));
            int done = i + 1;
            if (at.contains(done)) {
                long[] point = checkpoint(done);
                checkpoints.add(point);
                console.printf(Locale.ROOT, "%d/%d explanations: RSS %.1f MB, heap used %.1f MB%n", done,
                        explanations, point[1] / 1e6, point[2] / 1e6);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return report(subject, layer, explanations, seconds, checkpoints);
    }

    /** @return {explanations done, RSS bytes, heap used bytes after a GC, heap committed bytes} */
    private static long[] checkpoint(int done) {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new long[] {done, rss(), heap.getUsed(), heap.getCommitted()};
    }

    /** @return the process's resident set size in bytes, from /proc/self/status */
    static long rss() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new CamException("cam:bench --soak reads resident memory from " + STATUS + ": " + e.getMessage()
                    + " (Linux only)", e);
        }
        throw new CamException("cam:bench --soak: " + STATUS + " has no VmRSS line (Linux only)");
    }

    private static String report(Subject subject, String layer, int explanations, double seconds,
            List<long[]> checkpoints) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "cam:bench --soak %s (backend %s) at %dx%d, gradcam at %s: %d explanations in %.1f s (%.1f/s)%n",
                subject.reference(), subject.backend(), subject.size(), subject.size(), layer, explanations, seconds,
                explanations / seconds));
        out.append(String.format(Locale.ROOT, "%12s %10s %14s %16s%n", "EXPLAINED", "RSS MB", "HEAP USED MB",
                "HEAP COMMITTED MB"));
        for (long[] p : checkpoints) {
            out.append(String.format(Locale.ROOT, "%12d %10.1f %14.1f %16.1f%n", p[0], p[1] / 1e6, p[2] / 1e6,
                    p[3] / 1e6));
        }
        long first = checkpoints.get(0)[1];
        long last = checkpoints.get(checkpoints.size() - 1)[1];
        double growth = (double) (last - first) / first;
        out.append(String.format(Locale.ROOT, "RSS growth from %d to %d explanations: %+.1f %% %s %.0f %%: %s%n",
                checkpoints.get(0)[0], checkpoints.get(checkpoints.size() - 1)[0], 100 * growth,
                growth < BUDGET ? "<" : ">=", 100 * BUDGET, growth < BUDGET ? "FLAT" : "GROWING"));
        return out.toString();
    }
}
