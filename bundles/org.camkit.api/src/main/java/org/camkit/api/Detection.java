package org.camkit.api;

import java.util.Objects;

/**
 * One object a detector found: a box in pixels of the picture it was found in ({@code x0, y0} the top-left corner,
 * {@code x1, y1} the bottom-right one, exclusive), its class and its score.
 *
 * @param classIndex the class's index in the model's labels
 * @param label      the class's label (the index as text when the model has no labels)
 * @param score      the detection's score, e.g. objectness times class probability
 * @param x0         the box's left edge
 * @param y0         the box's top edge
 * @param x1         the box's right edge
 * @param y1         the box's bottom edge
 * @param explained  whether the explanation this detection belongs to explains it (its target scored it); false in
 *                   plain detection lists
 * @since 0.6
 */
public record Detection(int classIndex, String label, float score, float x0, float y0, float x1, float y1,
        boolean explained) {

    /** Validates. */
    public Detection {
        Objects.requireNonNull(label, "label");
        if (!(x1 >= x0) || !(y1 >= y0)) {
            throw new IllegalArgumentException("box " + x0 + "," + y0 + "," + x1 + "," + y1 + " has its corners "
                    + "swapped or not finite");
        }
    }

    /** @return the box's width */
    public float width() {
        return x1 - x0;
    }

    /** @return the box's height */
    public float height() {
        return y1 - y0;
    }

    /**
     * @param x a pixel's column
     * @param y a pixel's row
     * @return whether the pixel's centre lies in the box
     */
    public boolean contains(int x, int y) {
        return x + 0.5f >= x0 && x + 0.5f <= x1 && y + 0.5f >= y0 && y + 0.5f <= y1;
    }

    /**
     * @param sx horizontal scale
     * @param sy vertical scale
     * @return this detection with its box scaled, e.g. from the model's input to a picture of another size
     */
    public Detection scaled(float sx, float sy) {
        return new Detection(classIndex, label, score, x0 * sx, y0 * sy, x1 * sx, y1 * sy, explained);
    }

    /** @return this detection marked as explained */
    public Detection asExplained() {
        return new Detection(classIndex, label, score, x0, y0, x1, y1, true);
    }

    /**
     * @return the box as a target spec writes it, {@code x0,y0,x1,y1}, each number as the shortest text that reads
     *         back as the same float (so that {@code detection:<label>@<box>} names exactly this box)
     */
    public String box() {
        return number(x0) + "," + number(y0) + "," + number(x1) + "," + number(y1);
    }

    private static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7f ? String.valueOf((long) v) : Float.toString(v);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %.3f at %.1f,%.1f,%.1f,%.1f", label, score, x0, y0, x1, y1);
    }
}
