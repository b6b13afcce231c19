package org.camkit.shell.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.camkit.api.Comparison;
import org.camkit.api.ImageExplanation;

// The table cam:compare prints: per method its target, run time and peak, or why it could not run.
final class CompareTable {
    private CompareTable() {
    }

    static String format(Comparison comparison) {
        List<List<String>> rows = new ArrayList<>();
        for (Comparison.Entry entry : comparison.entries()) {
            if (entry.explanation() == null || entry.explanation().images().isEmpty()) {
                rows.add(List.of(entry.method(), "-", time(entry.time()),
                        "error: " + (entry.error() == null ? "no result" : oneLine(entry.error()))));
                continue;
            }
            ImageExplanation image = entry.explanation().images().get(0);
            Peak peak = Peak.of(image);
            rows.add(List.of(entry.method(), image.target(), time(entry.time()),
                    String.format(Locale.ROOT, "(%d,%d)", peak.x(), peak.y())));
        }
        return Tables.format(List.of("METHOD", "TARGET", "TIME", "PEAK (x,y) OR ERROR"), rows);
    }

    /** @return milliseconds below ten seconds ({@code 840 ms}), else seconds with one decimal ({@code 12.3 s}) */
    static String time(Duration time) {
        if (time == null) {
            return "-";
        }
        long millis = time.toMillis();
        return millis < 10_000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
