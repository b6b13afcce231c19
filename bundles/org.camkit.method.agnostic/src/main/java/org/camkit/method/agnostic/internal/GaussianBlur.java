package org.camkit.method.agnostic.internal;

/**
 * A separable Gaussian blur of planar images, with OpenCV's choices for float images: kernel radius
 * {@code ceil(4 sigma)}, normalised taps, border {@code BORDER_REFLECT_101}.
 */
final class GaussianBlur {

    private GaussianBlur() {
    }

    /** @return {@code planes} ({@code [C, H, W]}) blurred in each plane */
    static float[] blur(float[] planes, int height, int width, double sigma) {
        int radius = (int) Math.ceil(4 * sigma);
        double[] taps = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            taps[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += taps[i + radius];
        }
        for (int i = 0; i < taps.length; i++) {
            taps[i] /= sum;
        }
        int pixels = height * width;
        float[] rows = new float[planes.length];
        float[] out = new float[planes.length];
        for (int plane = 0; plane < planes.length / pixels; plane++) {
            int base = plane * pixels;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = 0;
                    for (int i = -radius; i <= radius; i++) {
                        v += taps[i + radius] * planes[base + y * width + reflect(x + i, width)];
                    }
                    rows[base + y * width + x] = (float) v;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = 0;
                    for (int i = -radius; i <= radius; i++) {
                        v += taps[i + radius] * rows[base + reflect(y + i, height) * width + x];
                    }
                    out[base + y * width + x] = (float) v;
                }
            }
        }
        return out;
    }

    /** OpenCV's BORDER_REFLECT_101 ({@code gfedcb|abcdefgh|gfedcba}), repeated for kernels wider than the image. */
    static int reflect(int i, int size) {
        if (size == 1) {
            return 0;
        }
        while (i < 0 || i >= size) {
            i = i < 0 ? -i : 2 * (size - 1) - i;
        }
        return i;
    }
}
