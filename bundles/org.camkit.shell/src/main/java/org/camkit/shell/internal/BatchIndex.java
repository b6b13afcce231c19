package org.camkit.shell.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;

// The index.jsonl of a batch run: one JSON object per image and line, appended and flushed as each image completes; an
// image's last line counts. A line without "error", asked as the re-run asks and listing every file the re-run writes,
// all still there, marks the image done, so the re-run skips it.
final class BatchIndex implements AutoCloseable {
    /** The index's file name in the output folder. */
    static final String FILE = "index.jsonl";

    private final Path file;
    private final BufferedWriter writer;

    private BatchIndex(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * @param file     the index
     * @param truncate start a new index ({@code --force}) rather than append to the one there
     * @return the index, open for appending; a last line cut short by a crash is ended first
     */
    static BatchIndex open(Path file, boolean truncate) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean cut = !truncate && endsMidLine(file);
            BufferedWriter writer = truncate
                    ? Files.newBufferedWriter(file, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
            if (cut) {
                writer.write('\n');
                writer.flush();
            }
            return new BatchIndex(file, writer);
        } catch (IOException e) {
            throw new CamException("cannot write the index " + file.toAbsolutePath() + ": " + e
                    + "; check --out-dir is a writable folder", e);
        }
    }

    /** Appends one image's line and flushes it, so that a crash loses no completed image. */
    void write(Map<String, Object> line) {
        try {
            writer.write(ResultJson.line(line));
            writer.flush();
        } catch (IOException e) {
            throw new CamException("cannot append to the index " + file.toAbsolutePath() + ": " + e
                    + "; check the disk has room and the folder is writable", e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new CamException("cannot close the index " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * @param file the index; absent means none
     * @return per image (its {@code "image"} value) its last line; lines that are not JSON objects with an image, such
     *         as one cut short by a crash, are left out
     */
    static Map<String, JsonObject> read(Path file) {
        Map<String, JsonObject> lines = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return lines;
        }
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CamException("cannot read the index " + file.toAbsolutePath() + ": " + e
                    + "; fix or delete it, or give --force to start a new one", e);
        }
        for (String line : text) {
            JsonObject json = object(line);
            if (json != null && json.has("image") && json.get("image").isJsonPrimitive()) {
                lines.put(json.get("image").getAsString(), json);
            }
        }
        return lines;
    }

    /**
     * @param line  an image's last line, or null
     * @param asked what this run asks, as a line records it ({@code asked})
     * @param files the files this run writes for the image
     * @return whether the line has the image done as this run would do it: no error, asked alike, and every one of
     *         those files listed and still there
     */
    static boolean done(JsonObject line, JsonElement asked, Collection<Path> files) {
        if (line == null || line.has("error") || !asked.equals(line.get("asked"))
                || !(line.get("files") instanceof JsonArray listed)) {
            return false;
        }
        Set<Path> written = new HashSet<>();
        for (JsonElement f : listed) {
            written.add(Path.of(f.getAsString()).toAbsolutePath().normalize());
        }
        return files.stream().map(f -> f.toAbsolutePath().normalize()).allMatch(written::contains)
                && written.stream().allMatch(Files::isRegularFile);
    }

    private static JsonObject object(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonElement json = JsonParser.parseString(line);
            return json.isJsonObject() ? json.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null; // cut short by a crash: that image is done again
        }
    }

    private static boolean endsMidLine(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return false;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read() != '\n';
        }
    }
}
