package org.camkit.visual.opencv.internal;

import org.camkit.api.RgbImage;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

// An RGB drawing surface over native Mats: a white background, pasted pictures, filled boxes and text lines.
final class Canvas implements AutoCloseable {
    private static final Scalar WHITE = new Scalar(255, 255, 255);

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
