package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.camkit.api.CamException;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class LayoutTest {

    private static Tensor counting(int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = i;
        }
        return Tensor.copyOf(data, shape);
    }

    @Test
    void nhwcBecomesNchwElementByElement() {
        Tensor nhwc = counting(2, 3, 4, 5);
        Tensor nchw = Layout.NHWC.toCamkit(nhwc);
        assertArrayEquals(new int[] {2, 5, 3, 4}, nchw.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 5; c++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 4; w++) {
                        assertEquals(nhwc.at(n, h, w, c), nchw.at(n, c, h, w));
                    }
                }
            }
        }
        assertEquals(nhwc, Layout.NHWC.toGraph(nchw));
    }

    @Test
    void otherRanksAndNchwGraphsPassUnchanged() {
        Tensor logits = counting(2, 7);
        assertSame(logits, Layout.NHWC.toCamkit(logits));
        Tensor maps = counting(1, 2, 3, 4);
        assertSame(maps, Layout.NCHW.toCamkit(maps));
        assertArrayEquals(new long[] {-1, 8, 5, 6}, Layout.NHWC.toCamkit(new long[] {-1, 5, 6, 8}));
    }

    @Test
    void layoutPropertyIsParsedOrNamed() {
        assertEquals(Layout.NHWC, Layout.parse(null, "m"));
        assertEquals(Layout.NCHW, Layout.parse(" nchw ", "m"));
        assertThrows(CamException.class, () -> Layout.parse("CHWN", "m"));
    }

    @Test
    void biasTermsScaleEachChannelOfAChannelsLastGradient() {
        Tensor gradient = counting(1, 2, 2, 3); // NHWC
        Tensor bias = Tensor.copyOf(new float[] {1, -2, 0.5f}, new int[] {3});
        Tensor terms = BiasTerms.of(bias, gradient, false);
        assertArrayEquals(new int[] {1, 3, 2, 2}, terms.shape());
        assertEquals(-2 * gradient.at(0, 1, 0, 1), terms.at(0, 1, 1, 0));
        Tensor logits = BiasTerms.of(Tensor.copyOf(new float[] {3, 4}, new int[] {2}),
                Tensor.copyOf(new float[] {0.5f, 2}, new int[] {1, 2}), false);
        assertArrayEquals(new int[] {1, 2, 1, 1}, logits.shape());
        assertArrayEquals(new float[] {1.5f, 8}, logits.toArray());
    }
}
