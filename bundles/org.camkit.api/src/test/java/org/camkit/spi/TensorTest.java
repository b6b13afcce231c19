package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void ofTakesTheArrayWithoutCopyingIt() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 2, 3);
        data[4] = 50;
        assertEquals(50, t.get(4), "the tensor owns the caller's array");
        assertEquals(50, t.at(1, 1));
    }

    @Test
    void copyOfAndToArrayCopy() {
        float[] data = {1, 2, 3, 4};
        Tensor t = Tensor.copyOf(data, 4);
        data[0] = 9;
        assertEquals(1, t.get(0));
        float[] out = t.toArray();
        out[1] = 9;
        assertEquals(2, t.get(1));
        assertNotSame(out, t.toArray());
    }

    @Test
    void viewReadsInPlaceAndRefusesWrites() {
        float[] data = {1, 2, 3, 4};
        Tensor t = Tensor.of(data, 2, 2);
        FloatBuffer view = t.view();
        assertTrue(view.isReadOnly());
        assertEquals(4, view.remaining());
        data[3] = 7;
        assertEquals(7, view.get(3));
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, 1));
    }

    @Test
    void reshapeSharesValuesAndChecksTheSize() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = t.reshape(3, 2);
        assertArrayEquals(new int[] {3, 2}, r.shape());
        assertEquals(t.get(5), r.at(2, 1));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
    }

    @Test
    void shapeIsCheckedAndNotShared() {
        int[] shape = {2, 2};
        Tensor t = Tensor.of(new float[4], shape);
        shape[0] = 1;
        assertArrayEquals(new int[] {2, 2}, t.shape());
        t.shape()[1] = 5;
        assertArrayEquals(new int[] {2, 2}, t.shape());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], 0));
    }

    @Test
    void rowsAndCopyToReadSlices() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertEquals(Tensor.of(new float[] {3, 4, 5, 6}, 2, 2), t.rows(1, 3));
        float[] into = new float[3];
        t.copyTo(2, into, 1, 2);
        assertArrayEquals(new float[] {0, 3, 4}, into);
    }
}
