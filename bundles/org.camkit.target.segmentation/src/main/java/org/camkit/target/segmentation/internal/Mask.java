package org.camkit.target.segmentation.internal;

/** A binary pixel mask of {@code width x height}, row-major; immutable. */
final class Mask {

    private final int width;
    private final int height;
    private final boolean[] pixels;
    private final int count;

    Mask(int width, int height, boolean[] pixels) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " mask");
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels.clone();
        int n = 0;
        for (boolean p : pixels) {
            n += p ? 1 : 0;
        }
        this.count = n;
    }

    /**
     * The pixels whose highest-scoring class is {@code category}, the first class winning ties (like argmax).
     *
     * @param output one image's output {@code [K, H, W]}, row-major
     */
    static Mask predicted(float[] output, int classes, int height, int width, int category) {
        int area = height * width;
        boolean[] pixels = new boolean[area];
        for (int p = 0; p < area; p++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (output[k * area + p] > output[best * area + p]) {
                    best = k;
                }
            }
            pixels[p] = best == category;
        }
        return new Mask(width, height, pixels);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** @return whether the pixel at row-major index {@code pixel} is in the mask */
    boolean contains(int pixel) {
        return pixels[pixel];
    }

    /** @return the number of pixels in the mask */
    int count() {
        return count;
    }
}
