package org.camkit.demo.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the demo found, and where it put its pictures; {@link #toString()} is the text the shell prints.
 *
 * @param options what was run
 * @param results one per model: biased first, then clean
 * @param methods per method, the biased model's duck-peak share
 * @param summary the summary picture
 * @param faithful the faithfulness section, empty when skipped ({@code --faithful 0})
 */
public record DemoReport(DemoRun.Options options, List<DemoRun.ModelResult> results,
        List<DemoRun.MethodShare> methods, Path summary, Optional<Faithfulness.Result> faithful) {

    /** Copies. */
    public DemoReport {
        results = List.copyOf(results);
        methods = List.copyOf(methods);
    }

    /** @return whether every model passed its story criterion */
    public boolean passed() {
        return results.stream().allMatch(DemoRun.ModelResult::passed);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "camkit biased-duck demo: %d held-out images (a duck in every one, "
                + "beside either creature), seed %d, Grad-CAM at each model's default layer, backend %s%n%n",
                options.count(), options.seed(), options.backend()));
        int width = results.stream().mapToInt(r -> r.model().length()).max().orElse(0);
        String name = "%-" + Math.max(12, width) + "s";
        s.append(String.format(Locale.ROOT, name + " %8s %16s %15s %10s %14s %10s %9s %13s%n", "model", "accuracy",
                "charmander+duck", "bulbasaur+duck", "peak:duck", "peak:creature", "peak:else", "CAM duck",
                "CAM creature"));
        for (DemoRun.ModelResult r : results) {
            StoryTally.Figures f = r.figures();
            s.append(String.format(Locale.ROOT, name + " %8s %16s %15s %10s %14s %10s %9.3f %13.3f%n", r.model(),
                    pct(f.accuracy()), pct(f.accuracyClass0()), pct(f.accuracyClass1()), pct(f.duckPeak()),
                    pct(f.creaturePeak()), pct(f.elsewherePeak()), f.duckMeanCam(), f.creatureMeanCam()));
        }
        s.append(String.format(Locale.ROOT, "%n(accuracy: share predicted right; peak: the box the map's maximum "
                + "lies in or within one map cell (1/14 of the side) of, the nearer one; CAM: mean map value in the "
                + "box)%n%nStory:%n"));
        for (DemoRun.ModelResult r : results) {
            boolean biased = r.biased();
            s.append(String.format(Locale.ROOT, "  [%s] %s looks at the %s: its map peaks on the %s in %s of the "
                    + "images (needs >= %s)%n", r.passed() ? "PASS" : "FAIL", r.model(),
                    biased ? "duck" : "creature", biased ? "duck" : "creature", pct(r.storyShare()),
                    pct(DemoRun.REQUIRED_SHARE)));
        }
        if (results.size() == 2) {
            s.append(String.format(Locale.ROOT, "  %s calls %s of the bulbasaurs with a duck 'charmander'; %s "
                    + "gets %s of them right.%n", results.get(0).model(),
                    pct(1 - results.get(0).figures().accuracyClass1()), results.get(1).model(),
                    pct(results.get(1).figures().accuracyClass1())));
        }
        if (!methods.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nEvery method on %s: share of held-out maps peaking on the duck%n",
                    results.get(0).model()));
            s.append(String.format(Locale.ROOT, "  %-20s %10s %12s%n", "method", "peak:duck", "ms/image"));
            for (DemoRun.MethodShare m : methods) {
                s.append(m.error() == null
                        ? String.format(Locale.ROOT, "  %-20s %10s %12.1f%n", m.method(), pct(m.share()), m.millis())
                        : String.format(Locale.ROOT, "  %-20s %s%n", m.method(), "failed: " + firstClause(m.error())));
            }
        }
        faithful.ifPresent(f -> s.append(System.lineSeparator()).append(f));
        s.append(String.format(Locale.ROOT, "%nPictures:%n  summary  %s%n", summary.toAbsolutePath()));
        for (DemoRun.ModelResult r : results) {
            s.append(String.format(Locale.ROOT, "  overlays %s%n", r.overlayDir().toAbsolutePath()));
        }
        return s.toString();
    }

    /** @return an error message up to its first "; " (the culprit, without the list of alternatives) */
    static String firstClause(String error) {
        int cut = error.indexOf("; ");
        return cut > 0 ? error.substring(0, cut) : error;
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
