package org.camkit.backend.tensorflow.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// cam:tfbench's measurements: named series of nanosecond samples (first-seen order), their medians and quantiles.
final class BenchSamples {

    private final Map<String, List<Long>> series = new LinkedHashMap<>();

    void add(String name, long nanos) {
        series.computeIfAbsent(name, n -> new ArrayList<>()).add(nanos);
    }

    List<String> names() {
        return List.copyOf(series.keySet());
    }

    List<Long> values(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    /** @return the median of a series in nanoseconds (the mean of the middle two for an even count) */
    double median(String name) {
        return median(values(name));
    }

    /** @return the nearest-rank {@code q}-quantile of a series in nanoseconds */
    double quantile(String name, double q) {
        long[] sorted = sorted(values(name));
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** @return the median, the mean of the two middle values for an even count */
    static double median(List<Long> nanos) {
        long[] sorted = sorted(nanos);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static long[] sorted(List<Long> nanos) {
        if (nanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        return nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
