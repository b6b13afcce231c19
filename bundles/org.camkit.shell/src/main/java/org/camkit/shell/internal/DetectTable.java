package org.camkit.shell.internal;

import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camkit.api.Detection;

// What cam:detect prints and writes: per image a table of its detections, and the same as JSON.
final class DetectTable {
    private DetectTable() {
    }

    static String format(List<Path> images, List<List<Detection>> detected) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < images.size(); i++) {
            List<Detection> list = detected.get(i);
            text.append(images.get(i)).append(": ").append(list.size()).append(" detection(s)\n");
            if (list.isEmpty()) {
                continue;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Detection d : list) {
                rows.add(List.of(d.label(), String.format(Locale.ROOT, "%.3f", d.score()), number(d.x0()),
                        number(d.y0()), number(d.x1()), number(d.y1())));
            }
            text.append(Tables.format(List.of("LABEL", "SCORE", "X0", "Y0", "X1", "Y1"), rows));
        }
        return text.toString();
    }

    static String json(List<Path> images, List<List<Detection>> detected) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("image", images.get(i).toString());
            image.put("detections", detected.get(i).stream().map(d -> {
                Map<String, Object> o = ResultJson.detection(d);
                o.remove("explained");
                o.put("target", "detection:" + d.label() + "@" + d.box());
                return o;
            }).toList());
            list.add(image);
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(Map.of("images", list))
                + "\n";
    }

    static float minScore(String value) {
        return (float) Args.fraction("min-score", value, "the lowest score listed");
    }

    private static String number(float v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
