package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenGridTest {

    /** One image, a class token then a 2 x 2 grid of tokens with 3 features each: value = 10 * token + feature. */
    private static Tensor tokens() {
        float[] data = new float[5 * 3];
        for (int t = 0; t < 5; t++) {
            for (int c = 0; c < 3; c++) {
                data[t * 3 + c] = 10 * t + c;
            }
        }
        return Tensor.copyOf(data, new int[] {1, 5, 3});
    }

    @Test
    void dropsTheClassTokenAndFoldsTheRestRowByRowWithFeaturesAsChannels() {
        Tensor grid = new TokenGrid(1, 2, 2).toGrid(tokens());
        assertArrayEquals(new int[] {1, 3, 2, 2}, grid.shape());
        // channel 0 holds feature 0 of tokens 1..4, channel 2 feature 2
        assertArrayEquals(new float[] {10, 20, 30, 40, 11, 21, 31, 41, 12, 22, 32, 42}, grid.toArray());
    }

    @Test
    void unfoldingRestoresTheTokensWithTheOriginalClassToken() {
        TokenGrid layout = new TokenGrid(1, 2, 2);
        Tensor original = tokens();
        assertEquals(original, layout.fromGrid(layout.toGrid(original), original));
    }

    @Test
    void aTokenCountThatIsNotTheGridIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenGrid(0, 2, 2).toGrid(tokens()));
    }
}
