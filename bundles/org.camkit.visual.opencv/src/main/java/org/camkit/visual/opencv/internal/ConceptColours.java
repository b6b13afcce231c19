package org.camkit.visual.opencv.internal;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

// A colour per concept and its shades by brightness, as show_factorization_on_image colours concepts: the
// concept's colour in (8-bit OpenCV) HSV with V replaced by the concept's value, converted back to RGB.
final class ConceptColours {
    private static final int LEVELS = 256;
    private static final int MAX_HUE_DEGREES = 300;

    private final byte[][] shades;

    /** @param count the number of concepts; their hues are spread from red (0 degrees) to magenta (300) */
    ConceptColours(int count) {
        shades = new byte[count][];
        Mat hsv = new Mat(LEVELS, 1, CvType.CV_8UC3);
        Mat rgb = new Mat();
        try {
            for (int i = 0; i < count; i++) {
                int hue = (int) Math.round(MAX_HUE_DEGREES * (double) i / count / 2); // OpenCV: degrees / 2
                byte[] levels = new byte[LEVELS * 3];
                for (int v = 0; v < LEVELS; v++) {
                    levels[3 * v] = (byte) hue;
                    levels[3 * v + 1] = (byte) 255;
                    levels[3 * v + 2] = (byte) v;
                }
                hsv.put(0, 0, levels);
                Imgproc.cvtColor(hsv, rgb, Imgproc.COLOR_HSV2RGB);
                shades[i] = new byte[LEVELS * 3];
                rgb.get(0, 0, shades[i]);
            }
        } finally {
            hsv.release();
            rgb.release();
        }
    }

    int count() {
        return shades.length;
    }

    /** @return the concept's colour at full brightness, {R, G, B} */
    int[] colour(int concept) {
        return shade(concept, LEVELS - 1);
    }

    /** @return the concept's colour at brightness {@code value} (0 to 255), {R, G, B} */
    int[] shade(int concept, int value) {
        byte[] s = shades[concept];
        return new int[] {s[3 * value] & 0xff, s[3 * value + 1] & 0xff, s[3 * value + 2] & 0xff};
    }

    /** Writes the shade's three bytes to {@code out} at {@code offset}. */
    void shade(int concept, int value, byte[] out, int offset) {
        System.arraycopy(shades[concept], 3 * value, out, offset, 3);
    }
}
