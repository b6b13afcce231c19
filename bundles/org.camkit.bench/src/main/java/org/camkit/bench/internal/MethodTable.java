package org.camkit.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;

// cam:bench --methods: which methods and batch sizes to time, and the table of their medians (no engine here).
final class MethodTable {

    /** The methods whose option {@value Bench#BATCH_SIZE} is swept. */
    static final Set<String> BATCHED = Set.of("scorecam", "ablationcam");

    /**
     * The methods that score sampled perturbations of the input (LIME, SHAP): swept over batch sizes like
     * {@link #BATCHED}, their rows give forward passes per second from the passes they report
     * ({@link org.camkit.spi.CamMaps#PASSES}).
     */
    static final Set<String> SAMPLED = Set.of("lime", "kernelshap", "partitionshap");

    /** The batched methods whose passes start at the layer (the others perturb the input). */
    static final Set<String> FROM_LAYER = Set.of("ablationcam");

    /** The method timed a second time with {@link #FAST_OPTIONS}, and compared with its exact self. */
    static final String FAST_METHOD = "scorecam";

    /** Faster Score-CAM's preset. */
    static final Map<String, String> FAST_OPTIONS = Map.of("fast", "true");

    private MethodTable() {
    }

    /**
     * The line comparing a fast variant with its exact method.
     *
     * @param exact   the exact method's row
     * @param fast    the fast variant's row
     * @param pearson Pearson's r of the two maps of the bench image
     * @return e.g. {@code scorecam fast=true vs scorecam: speed-up 14.1x, Pearson r of the maps 0.981}
     */
    static String versus(Row exact, Row fast, double pearson) {
        return String.format(Locale.ROOT, "%s vs %s: %.1f ms vs %.1f ms per explanation, speed-up %.1fx, Pearson r of "
                + "the maps %.3f (%d vs %d progress steps)%n", fast.method(), exact.method(), fast.medianMs(),
                exact.medianMs(), exact.medianMs() / fast.medianMs(), pearson, fast.callbacks(), exact.callbacks());
    }

    /**
     * One timed configuration of a method.
     *
     * @param method    the method's name
     * @param batchSize the swept {@value Bench#BATCH_SIZE}, or 0 for the method's default options
     * @param nanos     the measured explanation times
     * @param callbacks progress callbacks in one explanation: the batches a batched method ran (for other methods
     *                  their own steps, e.g. DFF's NMF iterations)
     * @param channels  the target layer's channels (from a raw forward), or 0 where not needed
     * @param error     why the method could not run, or null
     * @param passNanos of a swept batched method, per explanation its {@code cam} stage: its perturbed passes with
     *                  what it computes around them; else empty
     * @param engineNanos per measurement, the engine baseline's own batched forward of the same batches (as many,
     *                  as large); else empty
     * @param passes    the forward passes one explanation scored, as the method reports them, or 0
     */
    record Row(String method, int batchSize, List<Long> nanos, int callbacks, int channels, String error,
            List<Long> passNanos, List<Long> engineNanos, int passes) {

        Row {
            nanos = List.copyOf(nanos);
            passNanos = List.copyOf(passNanos);
            engineNanos = List.copyOf(engineNanos);
        }

        /** A row without the comparison of the passes with the engine's. */
        Row(String method, int batchSize, List<Long> nanos, int callbacks, int channels, String error) {
            this(method, batchSize, nanos, callbacks, channels, error, List.of(), List.of(), 0);
        }

        /** @return the median {@code cam} stage over the engine's median batched forward of the same batches */
        double passRatio() {
            return Samples.median(passNanos) / Samples.median(engineNanos);
        }

        static Row failed(String method, int batchSize, String error) {
            return new Row(method, batchSize, List.of(), 0, 0, error);
        }

        double medianMs() {
            return Samples.median(nanos) / 1e6;
        }

        double callbacksPerSecond() {
            return callbacks / (medianMs() / 1e3);
        }
    }

    /**
     * @param spec       {@code all} or a comma-separated list of method names
     * @param registered the registered methods, in order
     * @return the methods to time, in the given order, without repeats
     */
    static List<String> methods(String spec, List<String> registered) {
        if (spec.trim().equalsIgnoreCase("all")) {
            return List.copyOf(registered);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : spec.split(",")) {
            String method = name.trim();
            if (method.isEmpty()) {
                continue;
            }
            if (!registered.contains(method)) {
                throw new CamException("cam:bench: unknown method '" + method + "' in --methods; registered methods: "
                        + registered + ", or 'all'");
            }
            out.add(method);
        }
        if (out.isEmpty()) {
            throw new CamException("cam:bench: --methods names no method; give a comma-separated list of "
                    + registered + ", or 'all'");
        }
        return List.copyOf(out);
    }

    /**
     * @param spec comma-separated batch sizes, e.g. {@code 8,16,32,64}
     * @return the sizes, each at least 1, in the given order, without repeats
     */
    static List<Integer> batchSizes(String spec) {
        return Settings.positives(spec, "--batch-sizes", "8,16,32,64");
    }

    /** @return the index of the fastest row (smallest median time per explanation) that ran, or -1 if none did */
    static int best(List<Row> sweep) {
        int best = -1;
        for (int i = 0; i < sweep.size(); i++) {
            Row row = sweep.get(i);
            if (row.error() == null && !row.nanos().isEmpty()
                    && (best < 0 || row.medianMs() < sweep.get(best).medianMs())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The table: per method its median time per explanation and the ratio to the raw forward+backward; under a
     * batched method, one line per swept batch size with its batches per second, the best marked.
     *
     * @param rows      the methods' rows, each sweep right after its method's row
     * @param rawMedian the median raw forward+backward in nanoseconds
     */
    static String format(List<Row> rows, double rawMedian) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-20s %12s %10s %5s  %s%n", "METHOD",
                "MS/EXPLAIN", "RATIO", "RUNS", "NOTES (ratio = ms/explain / raw fwd+bwd)"));
        for (int i = 0; i < rows.size(); i++) {
            int end = i + 1;
            while (end < rows.size() && rows.get(end).batchSize() > 0
                    && rows.get(end).method().equals(rows.get(i).method())) {
                end++;
            }
            List<Row> sweep = rows.subList(i + 1, end);
            int best = best(sweep);
            line(out, rows.get(i), rawMedian, false, !sweep.isEmpty());
            for (int k = 0; k < sweep.size(); k++) {
                line(out, sweep.get(k), rawMedian, k == best, true);
            }
            i = end - 1;
        }
        return out.toString();
    }

    private static void line(StringBuilder out, Row row, double rawMedian, boolean best, boolean swept) {
        String name = row.batchSize() > 0 ? "  " + Bench.BATCH_SIZE + " " + row.batchSize() : row.method();
        if (row.error() != null) {
            out.append(String.format(Locale.ROOT, "%-20s %12s %10s %5s  could not run: %s%n", name, "-", "-", "-",
                    row.error().lines().findFirst().orElse("")));
            return;
        }
        List<String> notes = new ArrayList<>();
        if (row.batchSize() == 0 && swept) {
            notes.add("method's default " + Bench.BATCH_SIZE);
        }
        if (row.passes() > 0) {
            notes.add(String.format(Locale.ROOT, "%d forward passes in %d batches, %.1f passes/s", row.passes(),
                    row.callbacks(), row.passes() / (row.medianMs() / 1e3)));
        } else if (swept) {
            notes.add(String.format(Locale.ROOT, "%d batches of %d channels, %.2f batches/s", row.callbacks(),
                    row.channels(), row.callbacksPerSecond()));
        } else if (row.callbacks() > 0) {
            notes.add(row.callbacks() + " progress steps");
        }
        if (row.batchSize() > 0 && row.channels() > 0) {
            int expected = (row.channels() + row.batchSize() - 1) / row.batchSize();
            if (row.callbacks() != expected) {
                notes.add("expected ceil(" + row.channels() + "/" + row.batchSize() + ") = " + expected + " batches");
            }
        }
        if (!row.passNanos().isEmpty() && !row.engineNanos().isEmpty()) {
            notes.add(String.format(Locale.ROOT, "passes %.1f ms vs the engine's batched forward of the same "
                    + "batches %.1f ms: %.2f", Samples.median(row.passNanos()) / 1e6,
                    Samples.median(row.engineNanos()) / 1e6, row.passRatio()));
        }
        if (best) {
            notes.add("<- BEST batch size");
        }
        out.append(String.format(Locale.ROOT, "%-20s %12.1f %10.2f %5d  %s%n", name, row.medianMs(),
                row.medianMs() * 1e6 / rawMedian, row.nanos().size(), String.join("; ", notes)).stripTrailing())
                .append('\n');
    }
}
