package org.camkit.shell.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camkit.api.Concept;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;

// The JSON document --json writes for one image of an explanation.
final class ResultJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private ResultJson() {
    }

    static String of(Explanation explanation, int index) {
        ImageExplanation image = explanation.images().get(index);
        Peak peak = Peak.of(image.cam(), image.width());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", image.source());
        json.put("model", explanation.model());
        json.put("backend", explanation.backend());
        json.put("method", explanation.method());
        json.put("layers", explanation.layers());
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
        Map<String, Double> timings = new LinkedHashMap<>();
        explanation.timings().forEach((stage, time) -> timings.put(stage, millis(time)));
        json.put("timingsMs", timings);
        json.put("totalMs", millis(explanation.total()));
        return GSON.toJson(json) + "\n";
    }

    static double millis(Duration time) {
        return Math.round(time.toNanos() / 1_000.0) / 1_000.0;
    }
}
