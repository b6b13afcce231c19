package org.camkit.spi;

import java.util.Arrays;

/**
 * A dense float tensor in row-major (C) order, e.g. activations {@code [N, C, H, W]}.
 * Immutable: the constructor and {@link #data()} copy.
 *
 * @param shape the dimensions, each positive
 * @param data  the values, {@code product(shape)} of them
 * @since 0.1
 */
public record Tensor(int[] shape, float[] data) {

    /** Validates and copies. */
    public Tensor {
        shape = shape.clone();
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
        data = data.clone();
    }

    /** @return a copy of the dimensions */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return a copy of the values */
    @Override
    public float[] data() {
        return data.clone();
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

    /**
     * @param index one index per axis
     * @return the value at that position
     */
    public float get(int... index) {
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
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
