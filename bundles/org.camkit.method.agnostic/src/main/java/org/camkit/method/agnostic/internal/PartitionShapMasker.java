package org.camkit.method.agnostic.internal;

import nu.pattern.OpenCV;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.photo.Photo;

/**
 * The background Partition SHAP shows where a cell is masked, as shap's {@code maskers.Image} makes it: the image
 * under a box blur ({@code "blur(k,k)"}, OpenCV's {@code cv2.blur}: the mean over a {@code k x k} window whose anchor
 * is {@code k / 2}, the border reflected without repeating the edge, {@code BORDER_REFLECT_101}), or a constant
 * colour. Both work on the normalised image: a blur is linear with weights summing to 1, so it commutes with the
 * per-channel normalisation. Or, per masked copy, OpenCV's inpainting of the masked pixels ({@code "inpaint_telea"},
 * {@code "inpaint_ns"}): on the 8-bit picture, a pixel inpainted when any of its channels is masked, with radius 3;
 * the copy is the 8-bit picture {@code cv2.inpaint} returns, normalised again; every pixel masked gives the image's
 * mean colour.
 */
final class PartitionShapMasker {

    private PartitionShapMasker() {
    }

    /**
     * @param image    {@code [C, H, W]}
     * @param channels C
     * @param height   H
     * @param width    W
     * @param kernel   the window's side, at least 1
     * @return the image blurred per channel, as {@code cv2.blur(image, (kernel, kernel))} on an {@code H x W x C}
     *         float array
     */
    static float[] blur(float[] image, int channels, int height, int width, int kernel) {
        int plane = height * width;
        float[] out = new float[image.length];
        double[] rows = new double[plane];
        double scale = 1.0 / ((double) kernel * kernel);
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = 0; k < kernel; k++) {
                        sum += image[base + y * width + reflect101(x - kernel / 2 + k, width)];
                    }
                    rows[y * width + x] = sum;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = 0; k < kernel; k++) {
                        sum += rows[reflect101(y - kernel / 2 + k, height) * width + x];
                    }
                    out[base + y * width + x] = (float) (sum * scale);
                }
            }
        }
        return out;
    }

    /**
     * @param colour   one value per channel, already normalised
     * @param height   H
     * @param width    W
     * @return {@code [C, H, W]} filled with the colour
     */
    static float[] fill(float[] colour, int height, int width) {
        int plane = height * width;
        float[] out = new float[colour.length * plane];
        for (int c = 0; c < colour.length; c++) {
            java.util.Arrays.fill(out, c * plane, (c + 1) * plane, colour[c]);
        }
        return out;
    }

    /** shap's {@code inpaintRadius}. */
    private static final double INPAINT_RADIUS = 3;
    private static boolean loaded;

    /**
     * @param image    the normalised image {@code [C, H, W]}, C = 3
     * @param height   H
     * @param width    W
     * @param model    its normalisation and channel order
     * @param flags    {@link Photo#INPAINT_TELEA} or {@link Photo#INPAINT_NS}
     * @return a masker that inpaints each copy's masked pixels, as shap's {@code maskers.Image("inpaint_...")}
     */
    static PartitionShapOwen.Masker inpaint(float[] image, int height, int width, ModelDescriptor model, int flags) {
        loadOpenCv();
        int plane = height * width;
        byte[] pixels = new byte[3 * plane]; // H x W x 3, the model's channel order: inpainting treats each alike
        double[] average = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                pixels[3 * p + c] = (byte) Pixels.level(image[c * plane + p], c, model);
                average[c] += image[c * plane + p] / (double) plane;
            }
        }
        return (present, rows, offset) -> {
            byte[] mask = new byte[plane];
            int masked = 0;
            for (int p = 0; p < plane; p++) {
                if (!present[p] || !present[plane + p] || !present[2 * plane + p]) {
                    mask[p] = 1;
                    masked++;
                }
            }
            if (masked == plane) {
                for (int c = 0; c < 3; c++) {
                    java.util.Arrays.fill(rows, offset + c * plane, offset + (c + 1) * plane, (float) average[c]);
                }
                return;
            }
            byte[] out = new byte[3 * plane];
            Mat src = new Mat(height, width, CvType.CV_8UC3);
            Mat holes = new Mat(height, width, CvType.CV_8UC1);
            Mat dst = new Mat();
            try {
                src.put(0, 0, pixels);
                holes.put(0, 0, mask);
                Photo.inpaint(src, holes, dst, INPAINT_RADIUS, flags);
                dst.get(0, 0, out);
            } finally {
                src.release();
                holes.release();
                dst.release();
            }
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    rows[offset + c * plane + p] = Pixels.normalised(out[3 * p + c] & 0xff, c, model);
                }
            }
        };
    }

    private static synchronized void loadOpenCv() {
        if (loaded) {
            return;
        }
        try {
            OpenCV.loadLocally();
        } catch (RuntimeException | LinkageError e) {
            throw new CamException("method 'partitionshap': the inpainting maskers need OpenCV's native library, "
                    + "which could not be loaded: " + e + "; use masker=blur or masker=colour", e);
        }
        loaded = true;
    }

    /** OpenCV's {@code borderInterpolate} for {@code BORDER_REFLECT_101}: {@code gfedcb|abcdefgh|gfedcba}. */
    static int reflect101(int p, int length) {
        if (length == 1) {
            return 0;
        }
        while (p < 0 || p >= length) {
            p = p < 0 ? -p : 2 * length - 2 - p;
        }
        return p;
    }
}
