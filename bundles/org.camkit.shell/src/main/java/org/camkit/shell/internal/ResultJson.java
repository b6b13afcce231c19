package org.camkit.shell.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.Concept;
import org.camkit.api.Detection;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;

// The JSON document --json writes for one image of an explanation; a value that is absent is written as null, in
// the document as in the batch index's lines, so that both hold the same keys (flatCauses, details and detections
// only where the explanation has them).
final class ResultJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .serializeNulls().disableHtmlEscaping().create();
    private static final Gson LINE = new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls()
            .disableHtmlEscaping().create();

    private ResultJson() {
    }

    static String of(Explanation explanation, int index) {
        return GSON.toJson(fields(explanation, index)) + "\n";
    }

    /** @return the document of {@link #of} as a map, for a caller that adds keys (a batch run's index line) */
    static Map<String, Object> fields(Explanation explanation, int index) {
        ImageExplanation image = explanation.images().get(index);
        Peak peak = Peak.of(image);
        Map<String, Object> json = header(explanation, image);
        json.put("prediction", image.predicted());
        json.put("label", image.predictedLabel());
        json.put("output", image.output());
        json.put("target", image.target());
        json.put("targetClass", image.targetClass());
        json.put("targetScore", image.targetScore());
        json.put("width", image.width());
        json.put("height", image.height());
        boolean flat = image.flat();
        json.put("flat", flat);
        json.put("peak", flat ? null : Map.of("x", peak.x(), "y", peak.y()));
        if (flat) {
            json.put("flatCauses", ImageExplanation.FLAT_CAUSES);
        }
        json.put("gradientImage", image.gradient() != null);
        json.put("concepts", image.concepts().stream().map(Concept::legend).toList());
        if (!image.details().isEmpty()) {
            json.put("details", image.details());
        }
        if (!image.detections().isEmpty()) {
            json.put("detections", image.detections().stream().map(ResultJson::detection).toList());
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        explanation.timings().forEach((stage, time) -> timings.put(stage, millis(time)));
        json.put("timingsMs", timings);
        json.put("totalMs", millis(explanation.total()));
        return json;
    }

    /** @return the map as JSON on one line, ending in a newline (a line of a JSON Lines file) */
    static String line(Map<String, Object> json) {
        return LINE.toJson(json) + "\n";
    }

    /**
     * One object of a per-object run ({@code detection:<label>} without a box).
     *
     * @param detection the object, its box in the model's input pixels (as its target spec names it)
     * @param result    its explanation
     * @param written   the files written for it
     */
    record DetectedObject(Detection detection, ImageExplanation result, List<Path> written) {
    }

    /**
     * @param last     the explanation of the image's last object (model, method, layers)
     * @param target   the spec asked for, e.g. {@code detection:duck}
     * @param detected every detection of the image, boxes in the model's input pixels
     * @param objects  the objects explained
     * @return the JSON document of one image of a per-object run: its detections, and per object its box, score,
     *         target score, map peak and files
     */
    static String objects(Explanation last, String target, List<Detection> detected, List<DetectedObject> objects) {
        ImageExplanation image = last.images().get(0);
        Map<String, Object> json = header(last, image);
        json.put("target", target);
        json.put("detections", detected.stream().map(ResultJson::detection).toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (DetectedObject o : objects) {
            Map<String, Object> entry = detection(o.detection());
            entry.remove("explained");
            ImageExplanation r = o.result();
            entry.put("target", r.target());
            entry.put("targetScore", r.targetScore());
            Peak peak = Peak.of(r);
            entry.put("peak", r.flat() ? null : Map.of("x", peak.x(), "y", peak.y()));
            entry.put("files", o.written().stream().map(Path::toString).toList());
            list.add(entry);
        }
        json.put("objects", list);
        json.put("width", image.width());
        json.put("height", image.height());
        return GSON.toJson(json) + "\n";
    }

    /** @return the keys every document starts with: the image, model, backend, method and layers */
    private static Map<String, Object> header(Explanation explanation, ImageExplanation image) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", image.source());
        json.put("model", explanation.model());
        json.put("backend", explanation.backend());
        json.put("method", explanation.method());
        json.put("layers", explanation.layers());
        return json;
    }

    /** @return a detection as JSON: label, classIndex, score, box [x0, y0, x1, y1], explained */
    static Map<String, Object> detection(Detection d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", d.label());
        json.put("classIndex", d.classIndex());
        json.put("score", d.score());
        json.put("box", new float[] {d.x0(), d.y0(), d.x1(), d.y1()});
        json.put("explained", d.explained());
        return json;
    }

    static double millis(Duration time) {
        return Math.round(time.toNanos() / 1_000.0) / 1_000.0;
    }
}
