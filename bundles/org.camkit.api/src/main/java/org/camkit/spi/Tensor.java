package org.camkit.spi;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A dense float tensor in row-major (C) order, e.g. activations {@code [N, C, H, W]}. Immutable, and never copied
 * behind the caller's back: {@link #of} takes ownership of a fresh array, {@link #view()} and {@link #get(int)} read
 * it in place, and only {@link #copyOf} and {@link #toArray()} copy.
 *
 * @since 1.0
 */
public final class Tensor {

    private final int[] shape;
    private final float[] data;

    private Tensor(int[] shape, float[] data) {
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor dimensions must be positive: " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    /**
     * Wraps an array the caller gives up: it must not be written (or handed to anyone who writes it) while the
     * tensor is in use. Use it for arrays just filled, e.g. a method's output or values read from an engine. A
     * tensor passed to a call that keeps no reference to it (a {@link ModelProbe} scoring call) is no longer in use
     * once the call returns.
     *
     * @param data  the values, {@code product(shape)} of them; owned by the tensor from now on
     * @param shape the dimensions, each positive (copied)
     * @return the tensor
     * @throws IllegalArgumentException if a dimension is not positive or the sizes differ
     */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(shape.clone(), data);
    }

    /**
     * @param data  the values (copied)
     * @param shape the dimensions, each positive (copied)
     * @return a tensor of a copy of {@code data}, for arrays the caller keeps using
     * @throws IllegalArgumentException if a dimension is not positive or the sizes differ
     */
    public static Tensor copyOf(float[] data, int... shape) {
        return new Tensor(shape.clone(), data.clone());
    }

    /** @return a copy of the dimensions */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * @param axis an axis index
     * @return the size of that axis
     */
    public int dim(int axis) {
        return shape[axis];
    }

    /** @return the number of axes */
    public int rank() {
        return shape.length;
    }

    /** @return the number of values, the product of the dimensions */
    public int size() {
        return data.length;
    }

    /**
     * @param flat a row-major index in {@code [0, size())}
     * @return the value there
     */
    public float get(int flat) {
        return data[flat];
    }

    /**
     * @param index one index per axis
     * @return the value at that position
     */
    public float at(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(index.length + " indices for a tensor of rank " + shape.length);
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
    }

    /** @return a read-only view of the values, without copying them */
    public FloatBuffer view() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * Copies a range of values into an array.
     *
     * @param from   the first row-major index
     * @param to     the destination
     * @param offset where to start writing in {@code to}
     * @param length how many values
     */
    public void copyTo(int from, float[] to, int offset, int length) {
        System.arraycopy(data, from, to, offset, length);
    }

    /** @return a copy of the values, for a caller that writes them */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * @param newShape the dimensions, with the same product
     * @return a tensor of the same values (not copied) with another shape
     */
    public Tensor reshape(int... newShape) {
        return new Tensor(newShape.clone(), data);
    }

    /**
     * @param from the first index along axis 0
     * @param to   one past the last
     * @return the slice {@code [from, to)} along axis 0, copied
     */
    public Tensor rows(int from, int to) {
        int row = data.length / shape[0];
        int[] sliced = shape.clone();
        sliced[0] = to - from;
        return new Tensor(sliced, Arrays.copyOfRange(data, from * row, to * row));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
