package org.camkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.camkit.api.RgbImage;
import org.camkit.demo.internal.Scene;

/** Turns scenes into model input the way camkit preprocesses at explanation time: bytes / 255, mean/std, NCHW. */
final class Batches {

    private Batches() {
    }

    /** @return one preprocessed CHW float array per scene */
    static float[][] pixels(List<Scene> scenes) {
        float[][] out = new float[scenes.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = chw(scenes.get(i).image());
        }
        return out;
    }

    /** @return the scenes preprocessed into one NCHW float array */
    static float[] flatten(List<Scene> scenes, int size) {
        int plane = 3 * size * size;
        float[] out = new float[scenes.size() * plane];
        for (int i = 0; i < scenes.size(); i++) {
            System.arraycopy(chw(scenes.get(i).image()), 0, out, i * plane, plane);
        }
        return out;
    }

    /** @return the batch {@code ids} of {@code pixels} as an NCHW array */
    static NDArray input(NDManager manager, float[][] pixels, List<Integer> ids, int size) {
        int plane = 3 * size * size;
        float[] out = new float[ids.size() * plane];
        for (int i = 0; i < ids.size(); i++) {
            System.arraycopy(pixels[ids.get(i)], 0, out, i * plane, plane);
        }
        return manager.create(out, new Shape(ids.size(), 3, size, size));
    }

    /** @return the labels of the batch {@code ids}, int64 */
    static NDArray labels(NDManager manager, List<Scene> scenes, List<Integer> ids) {
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scenes.get(ids.get(i)).label();
        }
        return manager.create(out);
    }

    static float[] chw(RgbImage image) {
        int n = image.width() * image.height();
        byte[] rgb = image.rgb();
        float[] out = new float[3 * n];
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                out[c * n + p] = ((rgb[3 * p + c] & 0xFF) / 255f - TrainDemo.MEAN) / TrainDemo.STD;
            }
        }
        return out;
    }
}
