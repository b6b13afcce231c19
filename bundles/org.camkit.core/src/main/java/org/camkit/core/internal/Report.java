package org.camkit.core.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Evaluation;
import org.camkit.api.RgbImage;
import org.camkit.spi.Charts;

/**
 * An evaluation's files in its output directory: {@code metrics.csv}, a row per score written (and flushed) as it
 * comes, so that a cancelled or failed run keeps what it did; at the end {@code summary.json}, {@code summary.png}
 * (a bar chart of the table) and {@code curves-<name>.png} per curve (deletion, insertion), drawn by the
 * {@link Charts} service when one is registered. Without a directory it writes nothing.
 */
final class Report implements AutoCloseable {

    /** The CSV's columns. */
    static final String HEADER = "image,method,metric,value,error";

    private final Path dir;
    private final BufferedWriter csv;
    private final Charts charts;
    private final List<Path> files = new ArrayList<>();

    private Report(Path dir, BufferedWriter csv, Charts charts) {
        this.dir = dir;
        this.csv = csv;
        this.charts = charts;
    }

    /**
     * @param dir    the output directory (created), or null for no files
     * @param charts the chart service, or null: no charts
     * @return the report, its CSV started
     * @throws CamException if the directory or the CSV cannot be written, naming it
     */
    static Report open(Path dir, Charts charts) {
        if (dir == null) {
            return new Report(null, null, null);
        }
        Path file = dir.resolve("metrics.csv");
        try {
            Files.createDirectories(dir);
            BufferedWriter csv = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            Report report = new Report(dir, csv, charts);
            report.files.add(file);
            report.line(HEADER);
            return report;
        } catch (IOException e) {
            throw new CamException("cannot write the evaluation report to " + file + ": " + e.getMessage()
                    + "; choose a writable output directory (--out)", e);
        }
    }

    /** @param score a score, appended to the CSV */
    void score(Evaluation.Score score) {
        if (csv != null) {
            line(csv(score.image()) + "," + csv(score.method()) + "," + csv(score.metric()) + ","
                    + number(score.value()) + ",");
        }
    }

    /** @param skipped an image left out, appended to the CSV with why */
    void skipped(Evaluation.Skipped skipped) {
        if (csv != null) {
            line(csv(skipped.image()) + "," + csv(skipped.method()) + ",,," + csv(skipped.reason()));
        }
    }

    /**
     * Writes the summary and the charts.
     *
     * @param result the evaluation
     * @return the evaluation with the files written
     */
    Evaluation finish(Evaluation result) {
        if (dir == null) {
            return result;
        }
        write(dir.resolve("summary.json"), json(result).getBytes(StandardCharsets.UTF_8));
        if (charts != null && !result.summary().isEmpty()) {
            write(dir.resolve("summary.png"), bars(result).png());
            Map<String, List<Evaluation.MeanCurve>> byName = new LinkedHashMap<>();
            result.curves().forEach(c -> byName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c));
            byName.forEach((name, curves) -> write(dir.resolve("curves-" + name + ".png"),
                    charts.curves(name + " curves, model " + result.model() + ", target " + result.target(),
                            curves.get(0).xLabel(), curves.get(0).yLabel(), curves.stream().map(c -> new Charts.Series(
                                    c.method() + " (n=" + c.n() + ")", c.x(), c.y())).toList()).png()));
        }
        return new Evaluation(result.model(), result.target(), result.scores(), result.summary(), result.curves(),
                result.skipped(), files);
    }

    private RgbImage bars(Evaluation result) {
        Map<String, List<Evaluation.Summary>> byMetric = new LinkedHashMap<>();
        result.summary().forEach(s -> byMetric.computeIfAbsent(s.metric(), k -> new ArrayList<>()).add(s));
        List<Charts.BarPanel> panels = new ArrayList<>();
        byMetric.forEach((metric, rows) -> panels.add(new Charts.BarPanel(metric,
                rows.stream().map(Evaluation.Summary::method).toList(),
                rows.stream().mapToDouble(Evaluation.Summary::mean).toArray(),
                rows.stream().mapToDouble(Evaluation.Summary::low).toArray(),
                rows.stream().mapToDouble(Evaluation.Summary::high).toArray())));
        return charts.bars("model " + result.model() + ", target " + result.target() + ": mean and 95% interval",
                panels);
    }

    /** @return the summary as JSON: the table, the mean curves, the images left out; {@code NaN} as null */
    static String json(Evaluation result) {
        JsonObject root = new JsonObject();
        root.addProperty("model", result.model());
        root.addProperty("target", result.target());
        JsonArray table = new JsonArray();
        for (Evaluation.Summary s : result.summary()) {
            JsonObject row = new JsonObject();
            row.addProperty("method", s.method());
            row.addProperty("metric", s.metric());
            row.add("mean", value(s.mean()));
            row.add("low", value(s.low()));
            row.add("high", value(s.high()));
            row.addProperty("n", s.n());
            table.add(row);
        }
        root.add("summary", table);
        JsonArray curves = new JsonArray();
        for (Evaluation.MeanCurve c : result.curves()) {
            JsonObject curve = new JsonObject();
            curve.addProperty("method", c.method());
            curve.addProperty("name", c.name());
            curve.addProperty("n", c.n());
            curve.addProperty("xLabel", c.xLabel());
            curve.addProperty("yLabel", c.yLabel());
            JsonArray x = new JsonArray();
            JsonArray y = new JsonArray();
            for (double v : c.x()) {
                x.add(value(v));
            }
            for (double v : c.y()) {
                y.add(value(v));
            }
            curve.add("x", x);
            curve.add("y", y);
            curves.add(curve);
        }
        root.add("curves", curves);
        JsonArray skipped = new JsonArray();
        for (Evaluation.Skipped s : result.skipped()) {
            JsonObject row = new JsonObject();
            row.addProperty("image", s.image());
            row.addProperty("method", s.method());
            row.addProperty("reason", s.reason());
            skipped.add(row);
        }
        root.add("skipped", skipped);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    private static com.google.gson.JsonElement value(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
            files.add(file);
        } catch (IOException e) {
            throw new CamException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void line(String line) {
        try {
            csv.write(line);
            csv.newLine();
            csv.flush();
        } catch (IOException e) {
            throw new CamException("cannot write " + dir.resolve("metrics.csv") + ": " + e.getMessage(), e);
        }
    }

    /** @return the value quoted for CSV where it holds a comma, a quote or a line break */
    static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : "NaN";
    }

    @Override
    public void close() {
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException e) {
                throw new CamException("cannot close " + dir.resolve("metrics.csv") + ": " + e.getMessage(), e);
            }
        }
    }
}
