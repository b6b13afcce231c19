package org.camkit.bench.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.camkit.api.CamException;

// cam:bench --http: its options, the endpoint it calls, and the table of both paths per client count (no HTTP here).
final class HttpTable {

    /** The goal: HTTP's median latency at most this many times in-process's, exclusive. */
    static final double GOAL = 1.10;

    /** The outputs :explain returns that the in-process path can produce the same way. */
    static final List<String> OUTPUTS = List.of("overlay", "json");

    static final String IN_PROCESS = "in-process";
    static final String HTTP = "HTTP";

    private HttpTable() {
    }

    /**
     * One path at one client count.
     *
     * @param clients the concurrent clients
     * @param path    {@link #IN_PROCESS} or {@link #HTTP}
     * @param nanos   every measured request's latency
     * @param inside  per request, the time explain itself reported ({@code Explanation.total()}; over HTTP the
     *                response's {@code totalMs}), in the order of {@code nanos}
     * @param seconds the wall-clock time of the rounds that measured them
     * @param stages  the median nanoseconds of explain's stages and of the path's own steps, in their order
     */
    record Row(int clients, String path, List<Long> nanos, List<Long> inside, double seconds,
            Map<String, Double> stages) {

        Row {
            nanos = List.copyOf(nanos);
            inside = List.copyOf(inside);
            stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
            if (nanos.isEmpty() || nanos.size() != inside.size() || !(seconds > 0)) {
                throw new IllegalArgumentException("a row needs latencies, as many explain times and a positive "
                        + "time; got " + nanos.size() + ", " + inside.size() + " and " + seconds + " s");
            }
        }

        double requestsPerSecond() {
            return nanos.size() / seconds;
        }

        double p50() {
            return Samples.median(nanos);
        }

        double p99() {
            return Samples.p99(nanos);
        }

        /** @return the median of each request's latency less its explain time: the work around explain */
        double outsideExplain() {
            List<Long> outside = new ArrayList<>();
            for (int i = 0; i < nanos.size(); i++) {
                outside.add(nanos.get(i) - inside.get(i));
            }
            return Samples.median(outside);
        }
    }

    /** @return the client counts of {@code --clients}, e.g. {@code 1,2,4} */
    static List<Integer> clients(String spec) {
        return Settings.positives(spec, "--clients", "1,2,4");
    }

    /**
     * @param spec comma-separated outputs of :explain
     * @return the outputs, in the given order, without repeats
     * @throws CamException for an output the in-process path cannot produce the same way, or none
     */
    static List<String> outputs(String spec) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            String output = part.trim().toLowerCase(Locale.ROOT);
            if (output.isEmpty()) {
                continue;
            }
            if (!OUTPUTS.contains(output)) {
                throw new CamException("cam:bench --http: unknown or untimed output '" + part.trim() + "' in "
                        + "--outputs; it times " + String.join(" and ", OUTPUTS) + ", which the in-process path "
                        + "produces the same way (e.g. --outputs overlay,json or --outputs json)");
            }
            out.add(output);
        }
        if (out.isEmpty()) {
            throw new CamException("cam:bench --http: --outputs names none; give e.g. overlay,json");
        }
        return List.copyOf(out);
    }

    /**
     * @param property the JAX-RS runtime's {@code osgi.jaxrs.endpoint}: a string, an array or a collection of them
     * @return its first URI, ending in {@code /}, or empty when the property names none
     */
    static Optional<URI> endpoint(Object property) {
        Stream<?> values = property instanceof String[] array ? Stream.of(array)
                : property instanceof Collection<?> list ? list.stream() : Stream.ofNullable(property);
        return values.map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).findFirst()
                .map(s -> URI.create(s.endsWith("/") ? s : s + "/"));
    }

    /** @return {@code PASS} when the p50 ratio is under {@link #GOAL}, else {@code MISS} */
    static String verdict(double p50Ratio) {
        return p50Ratio < GOAL ? "PASS" : "MISS";
    }

    /**
     * The table: per client count both paths' requests per second, p50 and p99; then per client count the ratios
     * HTTP / in-process and the verdict at p50, and where the time goes around explain.
     *
     * @param rows per client count its in-process row and its HTTP row
     */
    static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%7s  %-10s %9s %9s %9s %9s%n", "CLIENTS",
                "PATH", "REQ/S", "P50 ms", "P99 ms", "REQUESTS"));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "%7d  %-10s %9.1f %9.2f %9.2f %9d%n", row.clients(), row.path(),
                    row.requestsPerSecond(), row.p50() / 1e6, row.p99() / 1e6, row.nanos().size()));
        }
        List<String> misses = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        for (int clients : rows.stream().map(Row::clients).distinct().toList()) {
            Row local = row(rows, clients, IN_PROCESS);
            Row http = row(rows, clients, HTTP);
            double p50 = http.p50() / local.p50();
            String verdict = verdict(p50);
            (verdict.equals("PASS") ? passes : misses).add(String.valueOf(clients));
            out.append(String.format(Locale.ROOT, "HTTP / in-process at %d client%s: p50 %.3f, p99 %.3f, req/s %.3f; "
                    + "HTTP adds %.2f ms at p50: p50 ratio %s %.2f: %s%n", clients, clients == 1 ? "" : "s", p50,
                    http.p99() / local.p99(), http.requestsPerSecond() / local.requestsPerSecond(),
                    (http.p50() - local.p50()) / 1e6, p50 < GOAL ? "<" : ">=", GOAL, verdict));
            out.append(String.format(Locale.ROOT, "  around explain (median of latency - explain's own total): "
                    + "in-process %.2f ms, HTTP %.2f ms; explain's own total p50: in-process %.2f ms, HTTP %.2f ms%n",
                    local.outsideExplain() / 1e6, http.outsideExplain() / 1e6, Samples.median(local.inside()) / 1e6,
                    Samples.median(http.inside()) / 1e6));
            out.append(stages(local, http));
        }
        String goal = String.format(Locale.ROOT, "%.2fx in-process's", GOAL);
        out.append(misses.isEmpty() ? "verdict: PASS, HTTP's p50 under " + goal + " at every client count\n"
                : "verdict: MISS at " + String.join(", ", misses) + " client(s)" + (passes.isEmpty() ? ""
                        : ", PASS at " + String.join(", ", passes)) + " (goal: HTTP's p50 under " + goal + ")\n");
        return out.toString();
    }

    /** @return e.g. {@code   p50 ms by stage, in-process / HTTP: decode 2.10 / 2.00, overlay 6.90 / -} */
    static String stages(Row local, Row http) {
        Set<String> names = new LinkedHashSet<>(local.stages().keySet());
        names.addAll(http.stages().keySet());
        if (names.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            parts.add(name + " " + ms(local.stages().get(name)) + " / " + ms(http.stages().get(name)));
        }
        return "  p50 ms by stage, in-process / HTTP: " + String.join(", ", parts) + "\n";
    }

    private static String ms(Double nanos) {
        return nanos == null ? "-" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static Row row(List<Row> rows, int clients, String path) {
        return rows.stream().filter(r -> r.clients() == clients && r.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + path + " row at " + clients + " clients"));
    }
}
