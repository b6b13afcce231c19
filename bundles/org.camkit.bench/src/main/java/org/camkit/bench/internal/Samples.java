package org.camkit.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named series of nanosecond samples, in first-seen order, and cam:bench's one definition of median, p90 and p99. */
final class Samples {

    private final Map<String, List<Long>> series = new LinkedHashMap<>();

    void add(String name, long nanos) {
        series.computeIfAbsent(name, n -> new ArrayList<>()).add(nanos);
    }

    /** @return the series' names, in the order of their first sample */
    List<String> names() {
        return List.copyOf(series.keySet());
    }

    /** @return a series' samples, empty for an unknown name */
    List<Long> values(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    double median(String name) {
        return median(values(name));
    }

    double p90(String name) {
        return p90(values(name));
    }

    double p99(String name) {
        return p99(values(name));
    }

    /** @return the median: the middle value, or the mean of the two middle values for an even count */
    static double median(List<Long> nanos) {
        return quantile(nanos, 0.5);
    }

    /** @return the 90th percentile */
    static double p90(List<Long> nanos) {
        return quantile(nanos, 0.9);
    }

    /** @return the 99th percentile (of fewer than 100 samples, between the two largest) */
    static double p99(List<Long> nanos) {
        return quantile(nanos, 0.99);
    }

    /**
     * @param nanos samples, at least one
     * @param q     the quantile, 0 to 1
     * @return the value at position {@code q * (n - 1)} of the sorted samples, interpolated linearly between the two
     *         nearest (NumPy's default)
     */
    static double quantile(List<Long> nanos, double q) {
        if (nanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
