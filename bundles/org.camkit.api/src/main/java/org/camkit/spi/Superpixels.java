package org.camkit.spi;

import java.util.Arrays;
import org.camkit.api.RgbImage;

/**
 * A segmentation of an image into superpixels by SLIC (Achanta et al., "SLIC Superpixels Compared to
 * State-of-the-Art Superpixel Methods", TPAMI 2012), shared by the model-agnostic methods (LIME, KernelSHAP), which
 * switch superpixels on and off, and the visualizer that shows them.
 *
 * <p>The algorithm as the paper gives it: {@code K} requested segments on {@code N} pixels give the grid step
 * {@code S = sqrt(N / K)}; cluster centres start on a regular grid of about {@code W / S} by {@code H / S} cells, each
 * moved to the lowest CIELAB gradient of its 3x3 neighbourhood; {@value #ITERATIONS} iterations of k-means restricted
 * to a {@code 2S x 2S} window around each centre, with the distance
 * {@code D = sqrt(d_lab^2 + (d_xy / S)^2 m^2)} and compactness {@code m = }{@value #COMPACTNESS}; then connectivity is
 * enforced as in the authors' code: 4-connected pieces are relabelled in raster order, and a piece smaller than a
 * quarter of the mean segment area joins the segment its first pixel touches above or to the left. Colours are
 * converted from sRGB to CIELAB with the D65 white point. Labels run from 0 to {@link #count()} {@code - 1}, in
 * raster order of each segment's first pixel; every segment is 4-connected. Deterministic: the same image gives the
 * same labels.
 *
 * @since 1.3
 */
public final class Superpixels {

    /** The segment count the agnostic methods and the superpixel view ask for by default. */
    public static final int DEFAULT_SEGMENTS = 50;
    /** The paper's compactness {@code m}, the weight of spatial against colour distance. */
    public static final double COMPACTNESS = 10;
    /** The paper's iteration count, enough for most images to converge. */
    public static final int ITERATIONS = 10;

    private final int width;
    private final int height;
    private final int[] labels;
    private final int count;

    private Superpixels(int width, int height, int[] labels, int count) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.count = count;
    }

    /**
     * @param rgb      planar RGB values in [0, 1], {@code [3, H, W]} (R, G, B planes); values outside are clipped
     * @param height   the image height, positive
     * @param width    the image width, positive
     * @param segments the number of segments asked for, positive; the result has about as many
     * @return the segmentation
     * @throws IllegalArgumentException if the sizes do not match or {@code segments} is not positive
     */
    public static Superpixels slic(float[] rgb, int height, int width, int segments) {
        int pixels = height * width;
        if (height <= 0 || width <= 0 || rgb.length != 3 * pixels) {
            throw new IllegalArgumentException("SLIC needs [3, " + height + ", " + width + "] values, got "
                    + rgb.length);
        }
        if (segments <= 0) {
            throw new IllegalArgumentException("SLIC needs a positive number of segments, got " + segments);
        }
        double[][] lab = lab(rgb, pixels);
        return new Slic(lab, height, width, segments).run();
    }

    /**
     * @param image    the picture
     * @param segments the number of segments asked for, positive
     * @return the segmentation of the picture
     */
    public static Superpixels slic(RgbImage image, int segments) {
        int pixels = image.width() * image.height();
        byte[] bytes = image.rgb();
        float[] planes = new float[3 * pixels];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < 3; c++) {
                planes[c * pixels + p] = (bytes[3 * p + c] & 0xff) / 255f;
            }
        }
        return slic(planes, image.height(), image.width(), segments);
    }

    /**
     * A segmentation given by its labels (e.g. one computed elsewhere).
     *
     * @param width  the image width, positive
     * @param height the image height, positive
     * @param labels the segment of every pixel, row-major (copied); the labels used must be {@code 0..M-1}, each
     *               at least once
     * @return the segmentation
     * @throws IllegalArgumentException if the sizes do not match or a label in {@code 0..max} is negative or unused
     */
    public static Superpixels of(int width, int height, int[] labels) {
        if (width <= 0 || height <= 0 || labels.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " segmentation needs " + width * height
                    + " labels, got " + labels.length);
        }
        int max = -1;
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("segment labels must not be negative, got " + l);
            }
            max = Math.max(max, l);
        }
        boolean[] used = new boolean[max + 1];
        for (int l : labels) {
            used[l] = true;
        }
        for (int l = 0; l <= max; l++) {
            if (!used[l]) {
                throw new IllegalArgumentException("segment labels must be 0.." + max + " each used, " + l
                        + " is not");
            }
        }
        return new Superpixels(width, height, labels.clone(), max + 1);
    }

    /** @return the number of segments, {@code M} */
    public int count() {
        return count;
    }

    /** @return the image width */
    public int width() {
        return width;
    }

    /** @return the image height */
    public int height() {
        return height;
    }

    /**
     * @param pixel a row-major pixel index
     * @return its segment, in {@code [0, count())}
     */
    public int label(int pixel) {
        return labels[pixel];
    }

    /** @return a copy of the segment of every pixel, row-major */
    public int[] labels() {
        return labels.clone();
    }

    /** @return per segment, its row-major pixel indices in increasing order (fresh arrays) */
    public int[][] members() {
        int[] sizes = new int[count];
        for (int l : labels) {
            sizes[l]++;
        }
        int[][] members = new int[count][];
        for (int m = 0; m < count; m++) {
            members[m] = new int[sizes[m]];
        }
        int[] filled = new int[count];
        for (int p = 0; p < labels.length; p++) {
            members[labels[p]][filled[labels[p]]++] = p;
        }
        return members;
    }

    /** sRGB in [0, 1] (clipped) to CIELAB, D65 white, as {@code {L, a, b}} planes. */
    private static double[][] lab(float[] rgb, int pixels) {
        double[][] lab = new double[3][pixels];
        for (int p = 0; p < pixels; p++) {
            double r = linear(rgb[p]);
            double g = linear(rgb[pixels + p]);
            double b = linear(rgb[2 * pixels + p]);
            double x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.95047;
            double y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
            double z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.08883;
            double fx = f(x);
            double fy = f(y);
            double fz = f(z);
            lab[0][p] = 116 * fy - 16;
            lab[1][p] = 500 * (fx - fy);
            lab[2][p] = 200 * (fy - fz);
        }
        return lab;
    }

    private static double linear(float value) {
        double v = Math.min(1, Math.max(0, Float.isNaN(value) ? 0 : value));
        return v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116;
    }

    /** One run of the clustering, then the connectivity step. */
    private static final class Slic {
        private final double[][] lab;
        private final int height;
        private final int width;
        private final int requested;
        private final double step;

        Slic(double[][] lab, int height, int width, int requested) {
            this.lab = lab;
            this.height = height;
            this.width = width;
            this.requested = requested;
            this.step = Math.sqrt((double) height * width / requested);
        }

        Superpixels run() {
            int nx = Math.max(1, Math.min(width, (int) Math.round(width / step)));
            int ny = Math.max(1, Math.min(height, (int) Math.round(height / step)));
            int k = nx * ny;
            // centre k: L, a, b, x, y
            double[][] centres = new double[k][5];
            int[] labels = new int[height * width];
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int x = Math.min(width - 1, (int) ((i + 0.5) * width / nx));
                    int y = Math.min(height - 1, (int) ((j + 0.5) * height / ny));
                    int p = lowestGradient(x, y);
                    centres[j * nx + i] = new double[] {lab[0][p], lab[1][p], lab[2][p], p % width, p / width};
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    labels[y * width + x] = Math.min(ny - 1, y * ny / height) * nx + Math.min(nx - 1, x * nx / width);
                }
            }
            double spatial = (COMPACTNESS / step) * (COMPACTNESS / step);
            int window = (int) Math.ceil(step);
            double[] distance = new double[height * width];
            for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                Arrays.fill(distance, Double.POSITIVE_INFINITY);
                for (int c = 0; c < k; c++) {
                    double[] centre = centres[c];
                    int cx = (int) Math.round(centre[3]);
                    int cy = (int) Math.round(centre[4]);
                    for (int y = Math.max(0, cy - window); y < Math.min(height, cy + window + 1); y++) {
                        for (int x = Math.max(0, cx - window); x < Math.min(width, cx + window + 1); x++) {
                            int p = y * width + x;
                            double dl = lab[0][p] - centre[0];
                            double da = lab[1][p] - centre[1];
                            double db = lab[2][p] - centre[2];
                            double dx = x - centre[3];
                            double dy = y - centre[4];
                            double d = dl * dl + da * da + db * db + (dx * dx + dy * dy) * spatial;
                            if (d < distance[p]) {
                                distance[p] = d;
                                labels[p] = c;
                            }
                        }
                    }
                }
                double[][] sums = new double[k][6];
                for (int p = 0; p < labels.length; p++) {
                    double[] s = sums[labels[p]];
                    s[0] += lab[0][p];
                    s[1] += lab[1][p];
                    s[2] += lab[2][p];
                    s[3] += p % width;
                    s[4] += p / width;
                    s[5]++;
                }
                for (int c = 0; c < k; c++) {
                    if (sums[c][5] > 0) {
                        for (int d = 0; d < 5; d++) {
                            centres[c][d] = sums[c][d] / sums[c][5];
                        }
                    }
                }
            }
            return connected(labels);
        }

        /** @return the pixel of the 3x3 neighbourhood of (x, y) with the smallest CIELAB gradient */
        private int lowestGradient(int x0, int y0) {
            int best = y0 * width + x0;
            double lowest = Double.POSITIVE_INFINITY;
            for (int y = Math.max(1, y0 - 1); y <= Math.min(height - 2, y0 + 1); y++) {
                for (int x = Math.max(1, x0 - 1); x <= Math.min(width - 2, x0 + 1); x++) {
                    double g = 0;
                    for (double[] plane : lab) {
                        double gx = plane[y * width + x + 1] - plane[y * width + x - 1];
                        double gy = plane[(y + 1) * width + x] - plane[(y - 1) * width + x];
                        g += gx * gx + gy * gy;
                    }
                    if (g < lowest) {
                        lowest = g;
                        best = y * width + x;
                    }
                }
            }
            return best;
        }

        /**
         * The authors' EnforceLabelConnectivity: 4-connected pieces in raster order get new labels; a piece of at
         * most a quarter of the mean segment area joins the segment above or left of its first pixel.
         */
        private Superpixels connected(int[] old) {
            int pixels = old.length;
            int small = pixels / requested / 4;
            int[] labels = new int[pixels];
            Arrays.fill(labels, -1);
            int[] piece = new int[pixels];
            int next = 0;
            for (int start = 0; start < pixels; start++) {
                if (labels[start] >= 0) {
                    continue;
                }
                // in raster order, the pixel left of (or, in the first column, above) a new piece is labelled
                int adjacent = start % width > 0 ? labels[start - 1] : start >= width ? labels[start - width] : -1;
                labels[start] = next;
                piece[0] = start;
                int size = 1;
                for (int i = 0; i < size; i++) {
                    int p = piece[i];
                    int x = p % width;
                    if (x > 0 && labels[p - 1] < 0 && old[p - 1] == old[start]) {
                        labels[p - 1] = next;
                        piece[size++] = p - 1;
                    }
                    if (x < width - 1 && labels[p + 1] < 0 && old[p + 1] == old[start]) {
                        labels[p + 1] = next;
                        piece[size++] = p + 1;
                    }
                    if (p >= width && labels[p - width] < 0 && old[p - width] == old[start]) {
                        labels[p - width] = next;
                        piece[size++] = p - width;
                    }
                    if (p + width < pixels && labels[p + width] < 0 && old[p + width] == old[start]) {
                        labels[p + width] = next;
                        piece[size++] = p + width;
                    }
                }
                if (size <= small && adjacent >= 0) {
                    for (int i = 0; i < size; i++) {
                        labels[piece[i]] = adjacent;
                    }
                } else {
                    next++;
                }
            }
            return new Superpixels(width, height, labels, next);
        }
    }
}
