package org.camkit.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of an evaluation: every score, the table of means, the mean curves, the images left out and the files
 * written.
 *
 * @param model   the model's name
 * @param target  the target spec explained
 * @param scores  one entry per image, method and metric value, in the order computed
 * @param summary per method and metric value: mean, 95% confidence interval and count, methods in request order
 * @param curves  per method and curve name (e.g. {@code deletion}), the mean curve over the images
 * @param skipped images that could not be explained or scored, each with why (only with {@code skipBad})
 * @param files   the report's files, in the order written; empty without an output directory
 * @since 0.4
 */
public record Evaluation(String model, String target, List<Score> scores, List<Summary> summary,
        List<MeanCurve> curves, List<Skipped> skipped, List<Path> files) {

    /** Copies. */
    public Evaluation {
        scores = List.copyOf(scores);
        summary = List.copyOf(summary);
        curves = List.copyOf(curves);
        skipped = List.copyOf(skipped);
        files = List.copyOf(files);
    }

    /**
     * One value of one metric for one image and method.
     *
     * @param image  the image's label
     * @param method the method that made the map
     * @param metric the metric and value, e.g. {@code deletion} or {@code confidence/drop}
     * @param value  the value ({@code NaN} where the metric has none for this image)
     */
    public record Score(String image, String method, String metric, double value) {
    }

    /**
     * The mean of one metric value over the images, for one method.
     *
     * @param method the method
     * @param metric the metric and value
     * @param mean   the mean over the images that have a value
     * @param low    the 95% confidence interval's lower end (Student's t; {@code NaN} for fewer than two images)
     * @param high   its upper end
     * @param n      the number of images with a value
     */
    public record Summary(String method, String metric, double mean, double low, double high, int n) {
    }

    /**
     * A curve averaged over the images, for one method.
     *
     * @param method the method
     * @param name   the curve, e.g. {@code deletion}
     * @param x      the abscissae
     * @param y      the mean values
     * @param n      the number of images averaged
     * @param xLabel what the abscissae are (the metric's words)
     * @param yLabel what the values are
     */
    public record MeanCurve(String method, String name, double[] x, double[] y, int n, String xLabel,
            String yLabel) {

        /** Copies. */
        public MeanCurve {
            x = x.clone();
            y = y.clone();
        }

        /** @return a copy of the abscissae */
        @Override
        public double[] x() {
            return x.clone();
        }

        /** @return a copy of the mean values */
        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /**
     * An image left out.
     *
     * @param image  its label
     * @param method the method it failed with, or {@code ""} when it failed before any
     * @param reason why
     */
    public record Skipped(String image, String method, String reason) {
    }
}
