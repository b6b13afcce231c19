package org.camkit.target.detection.internal;

/**
 * The gradient of the IoU of a fixed reference box and a predicted box, clipped to the image, with respect to the
 * predicted box's corners, with the conventions of automatic differentiation through {@code max}, {@code min} and
 * {@code clamp}: at a tie of {@code max(r, p)} or {@code min(r, p)} each side gets half, and a clamp passes the
 * gradient where its input lies within its bounds, ends included.
 */
final class BoxIou {

    private BoxIou() {
    }

    /**
     * Adds d IoU(reference, predicted) / d predicted corner to {@code seed}.
     *
     * @param reference {@code x0, y0, x1, y1}
     * @param output    holds the predicted box at {@code at}
     * @param at        the predicted box's offset in {@code output}; also where its gradient goes in {@code seed}
     * @param seed      the gradient being built
     * @param width     the image's width: x is clipped to [0, width]
     * @param height    the image's height: y is clipped to [0, height]
     */
    static void addGradient(float[] reference, float[] output, int at, float[] seed, int width, int height) {
        double px0 = clip(output[at], width), py0 = clip(output[at + 1], height);
        double px1 = clip(output[at + 2], width), py1 = clip(output[at + 3], height);
        double ix0 = Math.max(reference[0], px0), iy0 = Math.max(reference[1], py0);
        double ix1 = Math.min(reference[2], px1), iy1 = Math.min(reference[3], py1);
        double w = ix1 - ix0, h = iy1 - iy0;
        // clamp(min = 0): the gradient passes where w >= 0
        double dw = w >= 0 ? 1 : 0, dh = h >= 0 ? 1 : 0;
        w = Math.max(0, w);
        h = Math.max(0, h);
        double inter = w * h;
        double area = (px1 - px0) * (py1 - py0);
        double union = (reference[2] - reference[0]) * (reference[3] - reference[1]) + area - inter;
        if (!(union > 0)) {
            return;
        }
        // d inter / d corner: through the intersection's edges (max for the near corners, min for the far ones)
        double dInterX0 = -h * dw * lower(px0, reference[0]);
        double dInterY0 = -w * dh * lower(py0, reference[1]);
        double dInterX1 = h * dw * upper(px1, reference[2]);
        double dInterY1 = w * dh * upper(py1, reference[3]);
        // d area / d corner
        double dAreaX0 = -(py1 - py0), dAreaY0 = -(px1 - px0), dAreaX1 = py1 - py0, dAreaY1 = px1 - px0;
        double u2 = union * union;
        seed[at] += (float) (inside(output[at], width) * (dInterX0 * union - inter * (dAreaX0 - dInterX0)) / u2);
        seed[at + 1] += (float) (inside(output[at + 1], height) * (dInterY0 * union - inter * (dAreaY0 - dInterY0))
                / u2);
        seed[at + 2] += (float) (inside(output[at + 2], width) * (dInterX1 * union - inter * (dAreaX1 - dInterX1))
                / u2);
        seed[at + 3] += (float) (inside(output[at + 3], height) * (dInterY1 * union - inter * (dAreaY1 - dInterY1))
                / u2);
    }

    private static double clip(float v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    /** @return d clamp(v, 0, size) / d v: 1 within the bounds, ends included, else 0 */
    private static double inside(float v, int size) {
        return v >= 0 && v <= size ? 1 : 0;
    }

    /** @return d max(reference, predicted) / d predicted */
    private static double lower(double predicted, double reference) {
        return predicted > reference ? 1 : predicted == reference ? 0.5 : 0;
    }

    /** @return d min(reference, predicted) / d predicted */
    private static double upper(double predicted, double reference) {
        return predicted < reference ? 1 : predicted == reference ? 0.5 : 0;
    }
}
