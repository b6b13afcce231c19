package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.camkit.spi.Tensor;

// Copies between camkit Tensors (Java arrays) and DJL NDArrays (native memory): once each way, no more.
final class Tensors {

    private Tensors() {
    }

    static NDArray toNd(NDManager manager, Tensor tensor) {
        return manager.create(tensor.view(), new Shape(Arrays.stream(tensor.shape()).asLongStream().toArray()),
                DataType.FLOAT32);
    }

    static Tensor fromNd(NDArray array) {
        NDArray floats = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        long[] shape = floats.getShape().getShape();
        return Tensor.of(floats.toFloatArray(), Arrays.stream(shape).mapToInt(Math::toIntExact).toArray());
    }
}
