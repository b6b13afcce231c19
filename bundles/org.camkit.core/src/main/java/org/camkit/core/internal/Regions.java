package org.camkit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.api.GroundTruth;
import org.camkit.api.GroundTruth.Region;
import org.camkit.spi.TruthRegion;

/** Ground truth on a map's pixel grid: an image's annotated boxes, polygons and masks as {@link TruthRegion}s. */
final class Regions {

    /** Slack for products such as {@code 300 * (224 / 640.0)} that land a hair off a whole number. */
    private static final double EPSILON = 1e-9;

    private Regions() {
    }

    /**
     * @param truth       an image's annotated objects, in the image's pixels
     * @param image       the image, for messages
     * @param imageWidth  the image's width as decoded
     * @param imageHeight the image's height as decoded
     * @param mapWidth    the map's width (the model's input; the image was scaled to it on each axis)
     * @param mapHeight   the map's height
     * @return per region, its box and pixels on the map's grid: the polygons' (even-odd, at pixel centres), else the
     *         mask's (nearest neighbour), else the box's; never empty (a region too small to cover a pixel centre
     *         gets the pixel holding its centre)
     * @throws CamException if the annotations were made on an image of another size
     */
    static List<TruthRegion> rasterise(GroundTruth truth, String image, int imageWidth, int imageHeight,
            int mapWidth, int mapHeight) {
        if (truth.width() != 0 && (truth.width() != imageWidth || truth.height() != imageHeight)) {
            throw new CamException("annotations of " + image + " are for a " + truth.width() + "x" + truth.height()
                    + " image, the file is " + imageWidth + "x" + imageHeight + "; annotate the file as it is, or "
                    + "give the image they were made on");
        }
        Grid grid = new Grid(image, imageWidth, imageHeight, mapWidth, mapHeight);
        List<TruthRegion> regions = new ArrayList<>();
        for (Region region : truth.regions()) {
            regions.add(grid.rasterise(region));
        }
        return regions;
    }

    /** An image's pixels scaled onto a map's. */
    private record Grid(String image, int imageWidth, int imageHeight, int width, int height) {

        double sx() {
            return width / (double) imageWidth;
        }

        double sy() {
            return height / (double) imageHeight;
        }

        TruthRegion rasterise(Region r) {
            int x0 = clamp((int) Math.floor(r.x() * sx() + EPSILON), 0, width - 1);
            int y0 = clamp((int) Math.floor(r.y() * sy() + EPSILON), 0, height - 1);
            int x1 = clamp((int) Math.ceil((r.x() + r.width()) * sx() - EPSILON), x0 + 1, width);
            int y1 = clamp((int) Math.ceil((r.y() + r.height()) * sy() - EPSILON), y0 + 1, height);
            boolean[] pixels = new boolean[width * height];
            List<double[]> polygons = r.polygons();
            boolean[] mask = r.mask();
            double cx = r.x() + r.width() / 2;
            double cy = r.y() + r.height() / 2;
            if (!polygons.isEmpty()) {
                double sumX = 0;
                double sumY = 0;
                int points = 0;
                for (double[] polygon : polygons) {
                    fill(polygon, pixels);
                    for (int i = 0; i + 1 < polygon.length; i += 2, points++) {
                        sumX += polygon[i];
                        sumY += polygon[i + 1];
                    }
                }
                cx = sumX / points;
                cy = sumY / points;
            } else if (mask != null) {
                resample(mask, pixels);
            } else {
                for (int row = y0; row < y1; row++) {
                    Arrays.fill(pixels, row * width + x0, row * width + x1, true);
                }
            }
            if (isEmpty(pixels)) {
                pixels[clamp((int) Math.floor(cy * sy()), 0, height - 1) * width
                        + clamp((int) Math.floor(cx * sx()), 0, width - 1)] = true;
            }
            return new TruthRegion(r.label(), x0, y0, x1, y1, width, height, pixels);
        }

        /** Marks the map pixels whose centres the polygon holds (even-odd rule), row by row. */
        private void fill(double[] polygon, boolean[] pixels) {
            if (polygon.length % 2 != 0 || polygon.length < 6) {
                throw new CamException("a polygon of " + image + " has " + polygon.length + " coordinates; it needs "
                        + "x0, y0, x1, y1, ... of at least 3 points");
            }
            int n = polygon.length / 2;
            double[] crossings = new double[n];
            for (int row = 0; row < height; row++) {
                double y = (row + 0.5) / sy();
                int k = 0;
                for (int i = 0, j = n - 1; i < n; j = i++) {
                    double xi = polygon[2 * i];
                    double yi = polygon[2 * i + 1];
                    double xj = polygon[2 * j];
                    double yj = polygon[2 * j + 1];
                    if ((yi > y) != (yj > y)) {
                        crossings[k++] = xi + (y - yi) * (xj - xi) / (yj - yi);
                    }
                }
                Arrays.sort(crossings, 0, k);
                for (int m = 0; m + 1 < k; m += 2) {
                    // columns whose centre (col + 0.5) / sx lies in [from, to)
                    int from = clamp((int) Math.ceil(crossings[m] * sx() - 0.5), 0, width);
                    int to = clamp((int) Math.ceil(crossings[m + 1] * sx() - 0.5), 0, width);
                    if (from < to) {
                        Arrays.fill(pixels, row * width + from, row * width + to, true);
                    }
                }
            }
        }

        /** Marks the map pixels whose centres fall on a mask pixel. */
        private void resample(boolean[] mask, boolean[] pixels) {
            if (mask.length != imageWidth * imageHeight) {
                throw new CamException("the mask of " + image + " has " + mask.length + " pixels, not those of the "
                        + imageWidth + "x" + imageHeight + " image");
            }
            for (int row = 0; row < height; row++) {
                int y = clamp((int) Math.floor((row + 0.5) / sy()), 0, imageHeight - 1);
                for (int col = 0; col < width; col++) {
                    int x = clamp((int) Math.floor((col + 0.5) / sx()), 0, imageWidth - 1);
                    pixels[row * width + col] = mask[y * imageWidth + x];
                }
            }
        }
    }

    private static boolean isEmpty(boolean[] pixels) {
        for (boolean p : pixels) {
            if (p) {
                return false;
            }
        }
        return true;
    }

    private static int clamp(int value, int low, int high) {
        return Math.max(low, Math.min(high, value));
    }
}
