package org.camkit.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

/** cam:bench --http without HTTP: its options, the endpoint property, and the table of both paths. */
class HttpTableTest {

    private static final long MS = 1_000_000L;

    @Test
    void clientCountsParseInOrderAndRefuseNonPositiveOnesNamingTheOption() {
        assertEquals(List.of(1, 2, 4), HttpTable.clients("1, 2,4,2"));
        CamException e = assertThrows(CamException.class, () -> HttpTable.clients("1,0"));
        assertTrue(e.getMessage().contains("--clients") && e.getMessage().contains("1,2,4"), e.getMessage());
        assertThrows(CamException.class, () -> HttpTable.clients(" , "));
    }

    @Test
    void outputsAreTheOnesBothPathsProduceAlike() {
        assertEquals(List.of("overlay", "json"), HttpTable.outputs("overlay, JSON,overlay"));
        assertEquals(List.of("json"), HttpTable.outputs("json"));
        CamException e = assertThrows(CamException.class, () -> HttpTable.outputs("json,map"));
        assertTrue(e.getMessage().contains("'map'") && e.getMessage().contains("overlay and json"), e.getMessage());
        assertThrows(CamException.class, () -> HttpTable.outputs(""));
    }

    @Test
    void theEndpointIsTheFirstValueOfAStringAnArrayOrACollectionEndingInASlash() {
        URI base = URI.create("http://127.0.0.1:8080/");
        assertEquals(Optional.of(base), HttpTable.endpoint("http://127.0.0.1:8080"));
        assertEquals(Optional.of(base), HttpTable.endpoint(new String[] {"http://127.0.0.1:8080/", "http://[::1]/"}));
        assertEquals(Optional.of(base), HttpTable.endpoint(List.of("http://127.0.0.1:8080/")));
        assertEquals(Optional.empty(), HttpTable.endpoint(null));
        assertEquals(Optional.empty(), HttpTable.endpoint(new String[0]));
        assertEquals("http://127.0.0.1:8080/v1/models/demo:explain",
                base.resolve("v1/models/demo:explain").toString());
    }

    @Test
    void theVerdictPassesOnlyUnderTheGoal() {
        assertEquals("PASS", HttpTable.verdict(1.099));
        assertEquals("MISS", HttpTable.verdict(1.10));
        assertEquals("MISS", HttpTable.verdict(2.0));
    }

    @Test
    void requestsPerSecondAreTheRequestsOverTheRoundsWallClockTime() {
        HttpTable.Row row = new HttpTable.Row(2, HttpTable.HTTP, List.of(10 * MS, 20 * MS, 30 * MS, 40 * MS),
                List.of(8 * MS, 8 * MS, 8 * MS, 8 * MS), 0.05, Map.of());
        assertEquals(80.0, row.requestsPerSecond(), 1e-9);
        assertEquals(25 * MS, row.p50(), 1e-3);
        assertEquals(Samples.p99(row.nanos()), row.p99());
        assertEquals(17 * MS, row.outsideExplain(), 1e-3, "the median of 2, 12, 22, 32 ms");
        assertThrows(IllegalArgumentException.class, () -> new HttpTable.Row(1, HttpTable.HTTP, List.of(1L),
                List.of(), 1, Map.of()));
    }

    @Test
    void theTableHasBothPathsPerClientCountAndTheRatiosWithTheVerdict() {
        List<HttpTable.Row> rows = List.of(
                row(1, HttpTable.IN_PROCESS, 20, 1.0),
                row(1, HttpTable.HTTP, 21, 1.05),
                row(2, HttpTable.IN_PROCESS, 20, 0.5),
                row(2, HttpTable.HTTP, 24, 0.6));
        String table = HttpTable.format(rows);
        List<String> lines = table.lines().toList();

        assertTrue(lines.get(0).matches("CLIENTS\\s+PATH\\s+REQ/S\\s+P50 ms\\s+P99 ms\\s+REQUESTS"), table);
        assertTrue(lines.get(1).matches("\\s+1\\s+in-process\\s+10\\.0\\s+20\\.00\\s+20\\.00\\s+10"), table);
        assertTrue(lines.get(2).matches("\\s+1\\s+HTTP\\s+9\\.5\\s+21\\.00\\s+21\\.00\\s+10"), table);
        assertTrue(lines.get(4).matches("\\s+2\\s+HTTP\\s+16\\.7\\s+24\\.00\\s+24\\.00\\s+10"), table);
        assertEquals("HTTP / in-process at 1 client: p50 1.050, p99 1.050, req/s 0.952; HTTP adds 1.00 ms at p50: "
                + "p50 ratio < 1.10: PASS", lines.get(5));
        assertEquals("  around explain (median of latency - explain's own total): in-process 5.00 ms, HTTP 6.00 ms; "
                + "explain's own total p50: in-process 15.00 ms, HTTP 15.00 ms", lines.get(6));
        assertTrue(lines.get(7).startsWith("HTTP / in-process at 2 clients: p50 1.200,")
                && lines.get(7).endsWith("p50 ratio >= 1.10: MISS"), table);
        assertEquals("verdict: MISS at 2 client(s), PASS at 1 (goal: HTTP's p50 under 1.10x in-process's)",
                lines.get(lines.size() - 1));
    }

    @Test
    void stagesLineUpBothPathsInTheOrderFirstSeenAndMarkAStepOnlyOnePathHas() {
        Map<String, Double> local = new LinkedHashMap<>();
        local.put("decode", 2.0 * MS);
        local.put("forward", 10.0 * MS);
        local.put(HttpRun.OVERLAY, 6.5 * MS);
        Map<String, Double> http = new LinkedHashMap<>();
        http.put("decode", 2.5 * MS);
        http.put("forward", 11.0 * MS);
        http.put(HttpRun.PARSE, 0.25 * MS);
        List<Long> one = List.of(MS);
        HttpTable.Row inProcess = new HttpTable.Row(1, HttpTable.IN_PROCESS, one, one, 1, local);
        HttpTable.Row overHttp = new HttpTable.Row(1, HttpTable.HTTP, one, one, 1, http);
        assertEquals("  p50 ms by stage, in-process / HTTP: decode 2.00 / 2.50, forward 10.00 / 11.00, "
                + "overlay 6.50 / -, client parse - / 0.25\n", HttpTable.stages(inProcess, overHttp));
    }

    /** Ten requests of {@code ms} each, explain's own total 15 ms of them, in {@code seconds}. */
    private static HttpTable.Row row(int clients, String path, long ms, double seconds) {
        return new HttpTable.Row(clients, path, Collections.nCopies(10, ms * MS), Collections.nCopies(10, 15 * MS),
                seconds, Map.of());
    }
}
