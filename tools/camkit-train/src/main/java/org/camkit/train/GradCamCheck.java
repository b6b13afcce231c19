package org.camkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.camkit.backend.djl.internal.Architectures;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.StoryTally;

/**
 * A plain Grad-CAM at {@code relu4} for the predicted class (weights = spatial mean of the gradients, ReLU,
 * bilinear upsampling to input size), used to check that trained weights tell the story before they are written.
 */
final class GradCamCheck {

    static final String LAYER = "relu4";

    private GradCamCheck() {
    }

    static StoryTally.Figures run(Architectures.Network network, NDManager parent, List<Scene> scenes,
            TrainDemo.Options options) {
        List<Block> children = network.block().getChildren().values();
        int split = network.names().indexOf(LAYER);
        StoryTally tally = new StoryTally(StoryTally.defaultMargin(options.size()));
        int size = options.size();
        for (int from = 0; from < scenes.size(); from += options.batch()) {
            List<Scene> batch = scenes.subList(from, Math.min(scenes.size(), from + options.batch()));
            try (NDManager m = parent.newSubManager()) {
                ParameterStore store = new ParameterStore(m, false);
                NDList h = new NDList(m.create(Batches.flatten(batch, size), new Shape(batch.size(), 3, size, size)));
                for (int i = 0; i <= split; i++) {
                    h = children.get(i).forward(store, h, false);
                }
                NDArray activation = h.singletonOrThrow().stopGradient();
                activation.setRequiresGradient(true);
                long[] predicted;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDList out = new NDList(activation);
                    for (int i = split + 1; i < children.size(); i++) {
                        out = children.get(i).forward(store, out, false);
                    }
                    NDArray logits = out.singletonOrThrow();
                    NDArray argmax = logits.argMax(1);
                    predicted = argmax.toType(DataType.INT64, false).toLongArray();
                    NDArray score = logits.mul(argmax.oneHot(2).toType(DataType.FLOAT32, false)).sum();
                    gc.backward(score);
                }
                NDArray grad = activation.getGradient();
                NDArray weights = grad.mean(new int[] {3}, true).mean(new int[] {2}, true);
                NDArray cams = activation.mul(weights).sum(new int[] {1}).maximum(0f);
                Shape shape = cams.getShape();
                int ch = (int) shape.get(1);
                int cw = (int) shape.get(2);
                float[] all = cams.toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    float[] low = new float[ch * cw];
                    System.arraycopy(all, i * ch * cw, low, 0, low.length);
                    tally.add(batch.get(i), (int) predicted[i], upsample(low, cw, ch, size, size), size);
                }
            }
        }
        return tally.figures();
    }

    /** Bilinear resize with half-pixel centres (OpenCV INTER_LINEAR). */
    static float[] upsample(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            float fy = Math.max(0, (y + 0.5f) * sh / dh - 0.5f);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                float fx = Math.max(0, (x + 0.5f) * sw / dw - 0.5f);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = fx - x0;
                float top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                float bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                out[y * dw + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return out;
    }
}
