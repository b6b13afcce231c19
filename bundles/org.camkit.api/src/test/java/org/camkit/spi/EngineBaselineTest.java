package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class EngineBaselineTest {

    @Test
    void theTopClassOfAClassifierIsItsLargestLogitAndTheSeedIsItsOneHot() {
        Tensor logits = Tensor.copyOf(new float[] {0.5f, 2f, -1f}, new int[] {1, 3});
        assertEquals(1, EngineBaseline.topClass(logits));
        assertArrayEquals(new float[] {0, 1, 0}, EngineBaseline.seed(logits, 1).toArray());
    }

    @Test
    void theTopClassOfASegmentationIsTheLargestMapSumAndTheSeedCoversItsMap() {
        // [1, 2, 2, 2]: class 0 sums 9 (one large pixel), class 1 sums 4 (every pixel larger but one)
        Tensor maps = Tensor.copyOf(new float[] {9, 0, 0, 0, 1, 1, 1, 1}, new int[] {1, 2, 2, 2});
        assertEquals(0, EngineBaseline.topClass(maps));
        Tensor seed = EngineBaseline.seed(maps, 1);
        assertArrayEquals(new int[] {1, 2, 2, 2}, seed.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, seed.toArray());
    }

    @Test
    void aRunKeepsItsOutputFromLaterChanges() {
        float[] output = {1, 2};
        EngineBaseline.Run run = new EngineBaseline.Run(output, 1, 8, 0.5, Map.of("forward", Duration.ofMillis(1)));
        output[0] = 7;
        run.output()[1] = 7;
        assertArrayEquals(new float[] {1, 2}, run.output());
    }

    @Test
    void repeatCopiesOneImageAlongTheFirstAxis() {
        Tensor one = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        Tensor three = EngineBaseline.repeat(one, 3);
        assertArrayEquals(new int[] {3, 2, 3}, three.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, three.toArray());
        assertThrows(CamException.class, () -> EngineBaseline.repeat(one, 0));
        assertThrows(CamException.class, () -> EngineBaseline.repeat(three, 2));
    }
}
