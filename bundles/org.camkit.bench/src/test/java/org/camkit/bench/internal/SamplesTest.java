package org.camkit.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleAndOfAnEvenCountTheMeanOfTheTwoMiddles() {
        assertEquals(5.0, Samples.median(List.of(9L, 1L, 5L)));
        assertEquals(4.5, Samples.median(List.of(9L, 1L, 4L, 5L)));
    }

    @Test
    void p90InterpolatesBetweenTheTwoNearestRanks() {
        // ten values 10..100: position 0.9 * 9 = 8.1, between 90 and 100
        List<Long> values = List.of(100L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
        assertEquals(91.0, Samples.p90(values), 1e-9);
        assertEquals(55.0, Samples.median(values), 1e-9);
        assertEquals(7.0, Samples.p90(List.of(7L)));
    }

    @Test
    void p99OfFewerThanAHundredSamplesLiesBetweenTheTwoLargest() {
        // ten values 10..100: position 0.99 * 9 = 8.91, between 90 and 100
        List<Long> values = List.of(100L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
        assertEquals(99.1, Samples.p99(values), 1e-9);
        Samples samples = new Samples();
        values.forEach(v -> samples.add("a", v));
        assertEquals(Samples.p99(values), samples.p99("a"));
    }

    @Test
    void theMedianIsTheQuantileOneHalfForEverySeries() {
        Samples samples = new Samples();
        for (long v : new long[] {3, 1, 4, 1, 5, 9}) {
            samples.add("a", v);
        }
        assertEquals(Samples.quantile(samples.values("a"), 0.5), samples.median("a"));
        assertEquals(3.5, samples.median("a"));
    }

    @Test
    void seriesKeepTheOrderOfTheirFirstSample() {
        Samples samples = new Samples();
        samples.add("raw", 1);
        samples.add("explain", 2);
        samples.add("raw", 3);
        assertEquals(List.of("raw", "explain"), samples.names());
        assertEquals(List.of(1L, 3L), samples.values("raw"));
    }

    @Test
    void aSeriesWithoutSamplesHasNoMedian() {
        assertThrows(IllegalArgumentException.class, () -> new Samples().median("none"));
    }
}
