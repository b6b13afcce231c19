package org.camkit.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

/** cam:bench --methods: choosing methods and batch sizes, and the table of their medians. */
class MethodTableTest {

    private static final List<String> REGISTERED = List.of("ablationcam", "gradcam", "scorecam");
    private static final long MS = 1_000_000L;

    @Test
    void allSelectsEveryRegisteredMethodInOrder() {
        assertEquals(REGISTERED, MethodTable.methods("all", REGISTERED));
        assertEquals(REGISTERED, MethodTable.methods(" ALL ", REGISTERED));
    }

    @Test
    void aListKeepsItsOrderAndDropsRepeatsAndBlanks() {
        assertEquals(List.of("scorecam", "gradcam"), MethodTable.methods("scorecam, gradcam,,scorecam", REGISTERED));
    }

    @Test
    void anUnknownMethodIsRefusedWithTheRegisteredOnes() {
        CamException e = assertThrows(CamException.class, () -> MethodTable.methods("gradcam,fancycam", REGISTERED));
        assertTrue(e.getMessage().contains("'fancycam'"), e.getMessage());
        assertTrue(e.getMessage().contains(REGISTERED.toString()), e.getMessage());
        assertThrows(CamException.class, () -> MethodTable.methods(" , ", REGISTERED));
    }

    @Test
    void batchSizesParseAndRejectNonPositiveOrGarbage() {
        assertEquals(List.of(8, 16, 32, 64), MethodTable.batchSizes("8,16, 32,64,16"));
        assertThrows(CamException.class, () -> MethodTable.batchSizes("8,0"));
        assertThrows(CamException.class, () -> MethodTable.batchSizes("8,x"));
        assertThrows(CamException.class, () -> MethodTable.batchSizes(""));
    }

    @Test
    void bestIsTheSmallestMedianTimeAmongRowsThatRan() {
        List<MethodTable.Row> sweep = List.of(
                row(8, List.of(300 * MS, 310 * MS, 900 * MS), 32, 256),
                row(16, List.of(280 * MS, 250 * MS, 260 * MS), 16, 256),
                MethodTable.Row.failed("scorecam", 32, "out of memory"),
                row(64, List.of(270 * MS, 100 * MS, 275 * MS), 4, 256));
        // batch 64 has the single fastest run (100 ms) but batch 16 the smaller median (260 < 270)
        assertEquals(1, MethodTable.best(sweep));
        assertEquals(-1, MethodTable.best(List.of(MethodTable.Row.failed("scorecam", 8, "no"))));
    }

    @Test
    void batchesPerSecondDivideTheBatchesByTheMedianTime() {
        MethodTable.Row row = row(16, List.of(2000 * MS, 4000 * MS, 1000 * MS), 16, 256);
        assertEquals(8.0, row.callbacksPerSecond(), 1e-9);
    }

    @Test
    void tableShowsRatioToRawBatchesPerSecondAndMarksOnlyTheBest() {
        List<MethodTable.Row> rows = List.of(
                new MethodTable.Row("gradcam", 0, List.of(25 * MS), 0, 0, null),
                new MethodTable.Row("dff", 0, List.of(50 * MS), 23, 0, null),
                row(0, List.of(2000 * MS), 16, 256),
                row(8, List.of(4000 * MS), 32, 256),
                row(16, List.of(1000 * MS), 16, 256),
                MethodTable.Row.failed("fullgrad", 0, "model 'x' does not provide BIAS_GRADIENTS\nsecond line"));
        String table = MethodTable.format(rows, 10 * MS);
        List<String> lines = table.lines().toList();
        assertEquals(7, lines.size(), table);
        assertTrue(lines.get(1).matches("gradcam\\s+25\\.0\\s+2\\.50\\s+1"), lines.get(1));
        assertTrue(lines.get(2).matches("dff\\s+50\\.0\\s+5\\.00\\s+1\\s+23 progress steps"), lines.get(2));
        assertTrue(lines.get(3).startsWith("scorecam "), lines.get(3));
        assertTrue(lines.get(3).contains("200.00"), lines.get(3));
        assertTrue(lines.get(3).contains("16 batches of 256 channels, 8.00 batches/s"), lines.get(3));
        assertTrue(lines.get(4).startsWith("  batch-size 8 "), lines.get(4));
        assertTrue(lines.get(4).contains("32 batches of 256 channels, 8.00 batches/s"), lines.get(4));
        assertFalse(lines.get(4).contains("BEST"), lines.get(4));
        assertTrue(lines.get(5).contains("16 batches of 256 channels, 16.00 batches/s"), lines.get(5));
        assertTrue(lines.get(5).contains("BEST"), lines.get(5));
        assertTrue(lines.get(6).startsWith("fullgrad "), lines.get(6));
        assertTrue(lines.get(6).endsWith("could not run: model 'x' does not provide BIAS_GRADIENTS"), lines.get(6));
    }

    @Test
    void aBatchCountThatDisagreesWithTheChannelsIsFlagged() {
        String table = MethodTable.format(List.of(row(0, List.of(MS), 16, 256), row(32, List.of(MS), 9, 256)), MS);
        assertTrue(table.contains("expected ceil(256/32) = 8 batches"), table);
        String consistent = MethodTable.format(List.of(row(0, List.of(MS), 16, 250), row(32, List.of(MS), 8, 250)),
                MS);
        assertFalse(consistent.contains("expected"), consistent);
    }

    @Test
    void aSamplingMethodsRowsGiveItsForwardPassesPerSecondAndTheBestBatchSize() {
        // 1000 passes: 2 s at the default, 1 s at batch 32, 4 s at batch 8
        List<MethodTable.Row> rows = List.of(
                new MethodTable.Row("lime", 0, List.of(2000 * MS), 32, 0, null, List.of(), List.of(), 1000),
                new MethodTable.Row("lime", 8, List.of(4000 * MS), 125, 0, null, List.of(), List.of(), 1000),
                new MethodTable.Row("lime", 32, List.of(1000 * MS), 32, 0, null, List.of(), List.of(), 1000));
        String table = MethodTable.format(rows, MS);
        assertTrue(table.contains("1000 forward passes in 32 batches, 500.0 passes/s"), table);
        assertTrue(table.contains("1000 forward passes in 125 batches, 250.0 passes/s"), table);
        assertTrue(table.lines().filter(l -> l.contains("batch-size 32")).findFirst().orElseThrow()
                .contains("1000.0 passes/s; <- BEST batch size"), table);
        assertFalse(table.contains("expected ceil"), table);
        assertTrue(MethodTable.SAMPLED.containsAll(List.of("lime", "kernelshap", "partitionshap")));
    }

    private static MethodTable.Row row(int batchSize, List<Long> nanos, int batches, int channels) {
        return new MethodTable.Row("scorecam", batchSize, nanos, batches, channels, null);
    }
}
