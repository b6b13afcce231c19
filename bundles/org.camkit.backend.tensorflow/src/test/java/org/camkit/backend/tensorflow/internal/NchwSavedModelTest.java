package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.spi.Capability;
import org.camkit.spi.ForwardPass;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A channels-first SavedModel ("layout": "NCHW") is fed and read without transposing. */
class NchwSavedModelTest {

    private static final int SIZE = 4;
    private static final float[] SCALE = {2, -1, 0.5f};
    private static final float[] WEIGHT = {1, 2, -3, 0.5f, 0.25f, 4}; // [3, 2]

    @Test
    void activationsAndGradientsKeepTheGraphsChannelsFirstOrder(@TempDir Path dir) throws Exception {
        TensorFlowRuntime.load();
        Path exported = dir.resolve("nchw");
        export(exported);
        ModelDescriptor descriptor = new ModelDescriptor("nchw", "tensorflow", exported, SavedModels.ID, SIZE, SIZE,
                new float[3], new float[] {1, 1, 1}, List.of("a", "b"), "act",
                Map.of("input", "input", "output", "logits", "layers", "act", "layout", "NCHW"));
        Tensor input = Fixtures.images(1, SIZE, 21);
        float[] x = input.toArray();
        Tensor seed = Tensor.copyOf(new float[] {1, -2}, new int[] {1, 2});
        try (LoadedModel model = new TfBackend().load(descriptor);
                ForwardPass pass = model.forward(input, List.of("act"))) {
            assertFalse(Capability.of(model).contains(Capability.BIAS_GRADIENTS), "the graph has no BiasAdd");
            Tensor act = pass.activations("act");
            assertArrayEquals(new int[] {1, 3, SIZE, SIZE}, act.shape());
            Tensor gradient = pass.gradients(seed).get("act");
            int area = SIZE * SIZE;
            for (int c = 0; c < 3; c++) {
                float g = (seed.toArray()[0] * WEIGHT[c * 2] + seed.toArray()[1] * WEIGHT[c * 2 + 1]) / area;
                for (int p = 0; p < area; p++) {
                    assertEquals(Math.max(0, SCALE[c] * x[c * area + p]), act.toArray()[c * area + p], 1e-6f);
                    assertEquals(g, gradient.toArray()[c * area + p], 1e-6f);
                }
            }
        }
    }

    /** input [N, 3, 4, 4] -> times a per-channel scale -> ReLU ("act") -> mean over h, w -> matMul ("logits"). */
    private static void export(Path dir) throws Exception {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            var input = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, 3, SIZE, SIZE)));
            var scaled = tf.withName("scaled").math.mul(input,
                    tf.constant(Shape.of(1, 3, 1, 1), DataBuffers.of(SCALE)));
            var act = tf.withName("act").nn.relu(scaled);
            var gap = tf.withName("gap").math.mean(act, tf.constant(new int[] {2, 3}));
            var weight = tf.withName("weight").variable(tf.constant(Shape.of(3, 2), DataBuffers.of(WEIGHT)));
            var logits = tf.withName("logits").linalg.matMul(gap, weight);
            try (Session session = new Session(graph)) {
                session.initialize();
                SavedModelBundle.exporter(dir.toString()).withSession(session)
                        .withSignature(Signature.builder().input("x", input).output("y", logits).build()).export();
            }
        }
    }
}
