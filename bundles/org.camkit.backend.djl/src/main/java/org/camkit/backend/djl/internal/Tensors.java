package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.camkit.spi.Tensor;

// Copies between camkit Tensors (Java arrays) and DJL NDArrays (native memory).
final class Tensors {

    private Tensors() {
    }

    static NDArray toNd(NDManager manager, Tensor tensor) {
        return manager.create(tensor.data(), new Shape(Arrays.stream(tensor.shape()).asLongStream().toArray()));
    }

    static Tensor fromNd(NDArray array) {
        NDArray floats = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        long[] shape = floats.getShape().getShape();
        return new Tensor(Arrays.stream(shape).mapToInt(Math::toIntExact).toArray(), floats.toFloatArray());
    }
}
