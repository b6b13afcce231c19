package org.camkit.visual.opencv.internal;

import java.util.List;
import org.camkit.api.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

// An RGB drawing surface over native Mats: a white background, pasted pictures, filled boxes, lines and text lines.
final class Canvas implements AutoCloseable {
    private static final Scalar WHITE = new Scalar(255, 255, 255);
    private static final int SUBPIXEL_BITS = 4;
    private static final int SUBPIXELS = 1 << SUBPIXEL_BITS;

    private final Mat pixels;
    private final Mat scratch = new Mat();
    private final Mat scaled = new Mat();

    Canvas(int width, int height) {
        pixels = new Mat(height, width, CvType.CV_8UC3, WHITE);
    }

    /** Copies {@code image} with its top-left corner at (x, y). */
    void paste(RgbImage image, int x, int y) {
        Mat region = pixels.submat(new Rect(x, y, image.width(), image.height()));
        try {
            region.put(0, 0, image.rgb());
        } finally {
            region.release();
        }
    }

    /** Scales {@code image} to {@code width x height} (area averaging to shrink, bilinear to grow) at (x, y). */
    void paste(RgbImage image, int x, int y, int width, int height) {
        if (width == image.width() && height == image.height()) {
            paste(image, x, y);
            return;
        }
        scratch.create(image.height(), image.width(), CvType.CV_8UC3);
        scratch.put(0, 0, image.rgb());
        boolean shrink = width < image.width() && height < image.height();
        Imgproc.resize(scratch, scaled, new Size(width, height), 0, 0,
                shrink ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        Mat region = pixels.submat(new Rect(x, y, width, height));
        try {
            scaled.copyTo(region);
        } finally {
            region.release();
        }
    }

    /** Fills a {@code width x height} box at (x, y) with an RGB colour. */
    void box(int x, int y, int width, int height, int[] rgb) {
        Imgproc.rectangle(pixels, new Point(x, y), new Point(x + width - 1, y + height - 1),
                new Scalar(rgb[0], rgb[1], rgb[2]), Imgproc.FILLED);
    }

    /** Draws one line of text with its baseline's left end at (x, baseline). */
    void text(String line, int x, int baseline, Lettering font, int[] rgb) {
        Imgproc.putText(pixels, line, new Point(x, baseline), Lettering.FONT, font.scale(),
                new Scalar(rgb[0], rgb[1], rgb[2]), Lettering.THICKNESS, Imgproc.LINE_AA);
    }

    /** Draws a box's 1 px outline, {@code width x height} at (x, y). */
    void outline(int x, int y, int width, int height, int[] rgb) {
        Imgproc.rectangle(pixels, new Point(x, y), new Point(x + width - 1, y + height - 1),
                new Scalar(rgb[0], rgb[1], rgb[2]), 1);
    }

    /**
     * Draws a rectangle's outline through the pixels (left, top) and (right, bottom), {@code thickness} wide and
     * centred on them, crisp (no anti-aliasing).
     */
    void frame(int left, int top, int right, int bottom, int[] rgb, int thickness) {
        Imgproc.rectangle(pixels, new Point(left, top), new Point(right, bottom), new Scalar(rgb[0], rgb[1], rgb[2]),
                thickness, Imgproc.LINE_8);
    }

    /** Draws a straight line between pixel centres, crisp (no anti-aliasing), for axes, ticks and grid lines. */
    void line(int x1, int y1, int x2, int y2, int[] rgb, int thickness) {
        Imgproc.line(pixels, new Point(x1, y1), new Point(x2, y2), new Scalar(rgb[0], rgb[1], rgb[2]), thickness,
                Imgproc.LINE_8);
    }

    /** Joins {@code count} points (x[i], y[i]) with an anti-aliased line, at sub-pixel precision. */
    void polyline(double[] x, double[] y, int count, int[] rgb, int thickness) {
        Point[] points = new Point[count];
        for (int i = 0; i < count; i++) {
            points[i] = new Point(Math.round(x[i] * SUBPIXELS), Math.round(y[i] * SUBPIXELS));
        }
        MatOfPoint line = new MatOfPoint(points);
        try {
            Imgproc.polylines(pixels, List.of(line), false, new Scalar(rgb[0], rgb[1], rgb[2]), thickness,
                    Imgproc.LINE_AA, SUBPIXEL_BITS);
        } finally {
            line.release();
        }
    }

    /** Fills an anti-aliased disc of {@code radius} centred on (x, y). */
    void dot(double x, double y, int radius, int[] rgb) {
        Imgproc.circle(pixels, new Point(Math.round(x * SUBPIXELS), Math.round(y * SUBPIXELS)),
                radius * SUBPIXELS, new Scalar(rgb[0], rgb[1], rgb[2]), Imgproc.FILLED, Imgproc.LINE_AA,
                SUBPIXEL_BITS);
    }

    /**
     * Draws one line of text turned {@code degrees} anticlockwise about an anchor, placed at (x, y). The anchor is
     * given as fractions of the unturned text's box: {@code anchorX} from its left (0) to its right end (1),
     * {@code anchorY} from the letters' top (0) to the baseline (1). The text is darkened into what is under it
     * (a per-channel minimum), so it belongs on a light background.
     */
    void turned(String line, double degrees, double x, double y, double anchorX, double anchorY, Lettering font,
            int[] rgb) {
        int pad = 2;
        int width = font.width(line) + 2 * pad;
        int height = font.lineHeight() + 2 * pad;
        scratch.create(height, width, CvType.CV_8UC3);
        scratch.setTo(WHITE);
        Imgproc.putText(scratch, line, new Point(pad, pad + font.ascent()), Lettering.FONT, font.scale(),
                new Scalar(rgb[0], rgb[1], rgb[2]), Lettering.THICKNESS, Imgproc.LINE_AA);
        double cos = Math.abs(Math.cos(Math.toRadians(degrees)));
        double sin = Math.abs(Math.sin(Math.toRadians(degrees)));
        int turnedWidth = (int) Math.ceil(width * cos + height * sin);
        int turnedHeight = (int) Math.ceil(width * sin + height * cos);
        Mat rotation = Imgproc.getRotationMatrix2D(new Point(width / 2.0, height / 2.0), degrees, 1);
        try {
            rotation.put(0, 2, rotation.get(0, 2)[0] + (turnedWidth - width) / 2.0);
            rotation.put(1, 2, rotation.get(1, 2)[0] + (turnedHeight - height) / 2.0);
            Imgproc.warpAffine(scratch, scaled, rotation, new Size(turnedWidth, turnedHeight), Imgproc.INTER_LINEAR,
                    Core.BORDER_CONSTANT, WHITE);
            double ax = pad + anchorX * (width - 2 * pad);
            double ay = pad + anchorY * font.ascent();
            double[] m = new double[6];
            rotation.get(0, 0, m);
            int left = (int) Math.round(x - (m[0] * ax + m[1] * ay + m[2]));
            int top = (int) Math.round(y - (m[3] * ax + m[4] * ay + m[5]));
            darken(scaled, left, top);
        } finally {
            rotation.release();
        }
    }

    /** Keeps, per channel, the darker of the canvas and {@code picture} placed at (x, y), clipped to the canvas. */
    private void darken(Mat picture, int x, int y) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(pixels.cols(), x + picture.cols());
        int y1 = Math.min(pixels.rows(), y + picture.rows());
        if (x1 <= x0 || y1 <= y0) {
            return;
        }
        Mat region = pixels.submat(new Rect(x0, y0, x1 - x0, y1 - y0));
        Mat part = picture.submat(new Rect(x0 - x, y0 - y, x1 - x0, y1 - y0));
        try {
            Core.min(region, part, region);
        } finally {
            region.release();
            part.release();
        }
    }

    RgbImage toImage() {
        byte[] rgb = new byte[pixels.rows() * pixels.cols() * 3];
        pixels.get(0, 0, rgb);
        return new RgbImage(pixels.cols(), pixels.rows(), rgb);
    }

    @Override
    public void close() {
        pixels.release();
        scratch.release();
        scaled.release();
    }
}
