package org.camkit.backend.tensorflow.internal;

import java.util.Arrays;
import org.camkit.spi.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

// Copies between camkit Tensors (Java arrays) and TensorFlow tensors (native memory, closed by the caller).
final class TfTensors {

    private TfTensors() {
    }

    static TFloat32 toTf(Tensor tensor) {
        long[] shape = Arrays.stream(tensor.shape()).asLongStream().toArray();
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(tensor.view()));
    }

    /** @throws IllegalStateException if the tensor does not hold 32-bit floats */
    static Tensor fromTf(org.tensorflow.Tensor tensor, String what) {
        if (!(tensor instanceof TFloat32 floats)) {
            throw new IllegalStateException(what + " holds " + tensor.dataType() + "; camkit needs float32 tensors");
        }
        long[] shape = floats.shape().asArray();
        float[] data = new float[Math.toIntExact(floats.shape().size())];
        floats.copyTo(DataBuffers.of(data, false, false));
        return Tensor.of(data, Arrays.stream(shape).mapToInt(Math::toIntExact).toArray());
    }
}
