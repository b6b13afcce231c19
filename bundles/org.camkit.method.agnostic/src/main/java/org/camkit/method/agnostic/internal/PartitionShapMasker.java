package org.camkit.method.agnostic.internal;

/**
 * The background Partition SHAP shows where a cell is masked, as shap's {@code maskers.Image} makes it: the image
 * under a box blur ({@code "blur(k,k)"}, OpenCV's {@code cv2.blur}: the mean over a {@code k x k} window whose anchor
 * is {@code k / 2}, the border reflected without repeating the edge, {@code BORDER_REFLECT_101}), or a constant
 * colour. Both work on the normalised image: a blur is linear with weights summing to 1, so it commutes with the
 * per-channel normalisation.
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
