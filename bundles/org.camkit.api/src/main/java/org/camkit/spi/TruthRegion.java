package org.camkit.spi;

import java.util.Objects;

/**
 * One annotated object, in the pixels of the maps a {@link CamMetric} gets (the model's input size): its label, its
 * bounding box, and its pixels (the segmentation polygon or mask where the annotation has one, else the box).
 *
 * @param label  the object's category, or {@code ""} when the annotation names none (a plain mask file)
 * @param x0     the box's left column, inclusive
 * @param y0     the box's top row, inclusive
 * @param x1     the box's right column, exclusive
 * @param y1     the box's bottom row, exclusive
 * @param width  the width of the pixel grid
 * @param height the height of the pixel grid
 * @param pixels the object's pixels, row-major, {@code width * height} values (never empty: an empty region is
 *               refused where it is read)
 * @since 1.2
 */
public record TruthRegion(String label, int x0, int y0, int x1, int y1, int width, int height, boolean[] pixels) {

    /** Validates and copies. */
    public TruthRegion {
        Objects.requireNonNull(label, "label");
        if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || x0 >= x1 || y0 >= y1) {
            throw new IllegalArgumentException("box [" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ") is empty or "
                    + "outside " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " grid");
        }
        pixels = pixels.clone();
    }

    /** @return a copy of the pixels */
    @Override
    public boolean[] pixels() {
        return pixels.clone();
    }

    /**
     * @param x a column
     * @param y a row
     * @return whether the pixel is the object's
     */
    public boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && pixels[y * width + x];
    }

    /**
     * @param x a column
     * @param y a row
     * @return whether the pixel lies in the bounding box
     */
    public boolean inBox(int x, int y) {
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }
}
