package org.camkit.rest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.camkit.api.Comparison;
import org.camkit.api.Detection;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.Prediction;
import org.camkit.api.RgbImage;
import org.camkit.spi.NpyFiles;

// The JSON bodies of :predict, :explain and :compare: plain maps that Json writes, pictures as base64 PNG, maps as
// base64 .npy (float32 [height, width], as np.load reads them) or a greyscale PNG.
final class Answers {
    /** How many of a classifier's outputs {@code top} lists. */
    static final int TOP = 5;

    private Answers() {
    }

    static Map<String, Object> predictions(String model, List<Prediction> predictions, List<String> labels,
            Duration time) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model);
        json.put("predictions", predictions.stream().map(p -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("source", p.source());
            one.put("prediction", p.predicted());
            one.put("label", p.predicted() < 0 ? null : p.predictedLabel());
            one.put("top", p.detections().isEmpty() ? top(p.output(), labels) : List.of());
            one.put("detections", p.detections().stream().map(Answers::detection).toList());
            return one;
        }).toList());
        json.put("totalMs", millis(time));
        return json;
    }

    /**
     * @param overlays per image, its picture as PNG, or null when not asked for
     * @param mapFormat {@code npy} or {@code png}, or null when the map was not asked for
     */
    static Map<String, Object> explanation(Explanation explanation, List<byte[]> overlays, String mapFormat) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", explanation.model());
        json.put("backend", explanation.backend());
        json.put("method", explanation.method());
        json.put("layers", explanation.layers());
        Map<String, Double> timings = new LinkedHashMap<>();
        explanation.timings().forEach((stage, time) -> timings.put(stage, millis(time)));
        json.put("timingsMs", timings);
        json.put("totalMs", millis(explanation.total()));
        List<Map<String, Object>> images = new ArrayList<>();
        for (int n = 0; n < explanation.images().size(); n++) {
            images.add(image(explanation.images().get(n), explanation.labels(), overlays.get(n), mapFormat));
        }
        json.put("explanations", images);
        return json;
    }

    static Map<String, Object> comparison(Comparison comparison) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("grid", base64(comparison.grid().png()));
        json.put("entries", comparison.entries().stream().map(e -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("method", e.method());
            one.put("error", ErrorMapper.withoutFolders(e.error())); // as every error the API answers
            one.put("timeMs", millis(e.time()));
            ImageExplanation image = e.explanation() == null ? null : e.explanation().images().get(0);
            one.put("target", image == null ? null : image.target());
            one.put("targetScore", image == null ? null : image.targetScore());
            one.put("peak", image == null ? null : peak(image));
            return one;
        }).toList());
        return json;
    }

    private static Map<String, Object> image(ImageExplanation image, List<String> labels, byte[] overlay,
            String mapFormat) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", image.source());
        json.put("prediction", image.predicted());
        json.put("label", image.predicted() < 0 ? null : image.predictedLabel());
        json.put("top", image.detections().isEmpty() ? top(image.output(), labels) : List.of());
        json.put("target", image.target());
        json.put("targetClass", image.targetClass());
        json.put("targetScore", image.targetScore());
        json.put("width", image.width());
        json.put("height", image.height());
        json.put("flat", image.flat());
        json.put("peak", peak(image));
        json.put("detections", image.detections().stream().map(Answers::detection).toList());
        json.put("details", image.details());
        if (overlay != null) {
            json.put("overlay", base64(overlay));
        }
        if (mapFormat != null) {
            json.put("mapFormat", mapFormat);
            json.put("map", base64(mapFormat.equals("png") ? greyscale(image).png() : npy(image)));
        }
        return json;
    }

    /** @return the largest outputs, best first, with their labels: a classifier's top classes */
    static List<Map<String, Object>> top(float[] output, List<String> labels) {
        if (labels.isEmpty() || output.length != labels.size()) {
            return List.of(); // not one score per class (a segmentation map)
        }
        return IntStream.range(0, output.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> output[i]).reversed()).limit(TOP)
                .map(i -> {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("index", i);
                    one.put("label", labels.get(i));
                    one.put("score", output[i]);
                    return one;
                }).toList();
    }

    private static Map<String, Object> peak(ImageExplanation image) {
        if (image.flat()) {
            return null;
        }
        int peak = image.peak();
        return Map.of("x", peak % image.width(), "y", peak / image.width());
    }

    static Map<String, Object> detection(Detection d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", d.label());
        json.put("classIndex", d.classIndex());
        json.put("score", d.score());
        json.put("box", new float[] {d.x0(), d.y0(), d.x1(), d.y1()});
        json.put("explained", d.explained());
        return json;
    }

    private static byte[] npy(ImageExplanation image) {
        return NpyFiles.bytes(image.cam(), image.height(), image.width());
    }

    /** @return the map in [0, 1] as grey levels 0..255, rounded */
    private static RgbImage greyscale(ImageExplanation image) {
        float[] cam = image.cam();
        byte[] rgb = new byte[cam.length * 3];
        for (int i = 0; i < cam.length; i++) {
            byte grey = (byte) Math.round(Math.max(0, Math.min(1, cam[i])) * 255);
            rgb[3 * i] = grey;
            rgb[3 * i + 1] = grey;
            rgb[3 * i + 2] = grey;
        }
        return new RgbImage(image.width(), image.height(), rgb);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static double millis(Duration time) {
        return Math.round(time.toNanos() / 1_000.0) / 1_000.0;
    }
}
