package org.camkit.core.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.GroundTruth;
import org.camkit.api.GroundTruth.Region;

/** One COCO JSON file, read strictly; every error names the file and the JSON path of the bad value. */
final class CocoFile {

    /** How far (pixels) a box or polygon may reach past the image's edge: rounding in the tool that made it. */
    private static final double TOLERANCE = 1;

    /** A COCO image matched to a dataset image. */
    private record Image(int index, String name, int width, int height, List<Region> regions) {
    }

    private final Path file;

    CocoFile(Path file) {
        this.file = file;
    }

    /** @return per dataset image its regions; {@link GroundTruth#NONE} for an image COCO does not list */
    List<GroundTruth> truth(List<Path> images) {
        JsonObject root = parse();
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            Integer before = byName.put(images.get(i).getFileName().toString(), i);
            if (before != null) {
                throw new CamException("images '" + images.get(before) + "' and '" + images.get(i) + "' have the "
                        + "same file name, and " + file + " matches images by file name; give one of them");
            }
        }
        Map<Long, String> categories = categories(root);
        Map<Long, Image> cocoImages = new HashMap<>();
        Map<Integer, String> listedAt = new HashMap<>();
        JsonArray list = array(required(root, "images", ""), "images");
        for (int i = 0; i < list.size(); i++) {
            String at = "images[" + i + "]";
            JsonObject o = object(list.get(i), at);
            long id = whole(o, "id", at);
            String fileName = string(o, "file_name", at);
            String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
            Integer index = byName.get(name);
            if (index == null) {
                throw new CamException(file + ": annotations name image '" + fileName + "' (" + at
                        + ".file_name), which is not among the images given (--images); add the image, or "
                        + "remove its entry from the annotations");
            }
            String before = listedAt.put(index, at);
            if (before != null) {
                throw fail(at + ".file_name", "image '" + name + "' is listed already, at " + before);
            }
            Image image = new Image(index, name, positive(o, "width", at), positive(o, "height", at),
                    new ArrayList<>());
            if (cocoImages.put(id, image) != null) {
                throw fail(at + ".id", "another image has id " + id + " already");
            }
        }
        JsonArray annotations = optionalArray(root, "annotations");
        for (int i = 0; i < annotations.size(); i++) {
            String at = "annotations[" + i + "]";
            JsonObject o = object(annotations.get(i), at);
            long imageId = whole(o, "image_id", at);
            Image image = cocoImages.get(imageId);
            if (image == null) {
                throw fail(at + ".image_id", "no image with id " + imageId);
            }
            String label = "";
            if (o.has("category_id") && !o.get("category_id").isJsonNull()) {
                long category = whole(o, "category_id", at);
                label = categories.get(category);
                if (label == null) {
                    throw fail(at + ".category_id", "no category with id " + category);
                }
            }
            double[] box = box(required(o, "bbox", at), at + ".bbox", image);
            image.regions().add(new Region(label, box[0], box[1], box[2], box[3],
                    polygons(o.get("segmentation"), at + ".segmentation", image), null));
        }
        List<GroundTruth> truth = new ArrayList<>();
        images.forEach(i -> truth.add(GroundTruth.NONE));
        for (Image image : cocoImages.values()) {
            truth.set(image.index(), new GroundTruth(image.width(), image.height(), image.regions()));
        }
        return truth;
    }

    private Map<Long, String> categories(JsonObject root) {
        Map<Long, String> categories = new HashMap<>();
        JsonArray list = optionalArray(root, "categories");
        for (int i = 0; i < list.size(); i++) {
            String at = "categories[" + i + "]";
            JsonObject o = object(list.get(i), at);
            long id = whole(o, "id", at);
            if (categories.put(id, string(o, "name", at)) != null) {
                throw fail(at + ".id", "another category has id " + id + " already");
            }
        }
        return categories;
    }

    /** @return {@code [x, y, width, height]}, positive in size and inside the image */
    private double[] box(JsonElement e, String at, Image image) {
        double[] box = e.isJsonArray() && e.getAsJsonArray().size() == 4 ? numbers(e.getAsJsonArray()) : null;
        if (box == null) {
            throw fail(at, "must be [x, y, width, height] of numbers, got " + shown(e));
        }
        if (!(box[2] > 0) || !(box[3] > 0)) {
            throw fail(at, "width and height must be positive, got " + listed(e.getAsJsonArray()));
        }
        if (box[0] < -TOLERANCE || box[1] < -TOLERANCE || box[0] + box[2] > image.width() + TOLERANCE
                || box[1] + box[3] > image.height() + TOLERANCE) {
            throw fail(at, "box " + listed(e.getAsJsonArray()) + " reaches outside the " + image.width() + "x"
                    + image.height() + " image '" + image.name() + "'; a box is [x, y, width, height] in the "
                    + "image's pixels");
        }
        return box;
    }

    /** @return COCO's polygons; none when the annotation has no segmentation */
    private List<double[]> polygons(JsonElement e, String at, Image image) {
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("counts")) {
            throw fail(at, "RLE masks ({\"counts\": ...}) are not supported; convert them to polygons, or give "
                    + "the masks as PNG files instead");
        }
        if (!e.isJsonArray()) {
            throw fail(at, "must be a list of polygons [[x0, y0, x1, y1, ...], ...], got " + shown(e));
        }
        List<double[]> polygons = new ArrayList<>();
        JsonArray list = e.getAsJsonArray();
        for (int k = 0; k < list.size(); k++) {
            String where = at + "[" + k + "]";
            JsonElement p = list.get(k);
            double[] xy = p.isJsonArray() ? numbers(p.getAsJsonArray()) : null;
            if (xy == null) {
                throw fail(where, "must be a polygon [x0, y0, x1, y1, ...] of numbers, got " + shown(p));
            }
            if (xy.length % 2 != 0) {
                throw fail(where, "has an odd number of coordinates (" + xy.length + "); a polygon is x0, y0, "
                        + "x1, y1, ...");
            }
            if (xy.length < 6) {
                throw fail(where, "has " + xy.length / 2 + " points; a polygon needs at least 3");
            }
            for (int i = 0; i < xy.length; i += 2) {
                if (xy[i] < -TOLERANCE || xy[i + 1] < -TOLERANCE || xy[i] > image.width() + TOLERANCE
                        || xy[i + 1] > image.height() + TOLERANCE) {
                    throw fail(where, "point (" + p.getAsJsonArray().get(i) + ", " + p.getAsJsonArray().get(i + 1)
                            + ") lies outside the " + image.width() + "x" + image.height() + " image '"
                            + image.name() + "'");
                }
            }
            polygons.add(xy);
        }
        return polygons;
    }

    /** @return the file's JSON object, read strictly (RFC 8259) */
    private JsonObject parse() {
        if (!Files.isRegularFile(file)) {
            throw new CamException("annotations file '" + file + "' does not exist or is not a file");
        }
        JsonElement root;
        try {
            root = Descriptors.strict(Files.readString(file));
        } catch (IOException | JsonParseException e) {
            throw new CamException(file + ": not COCO JSON: " + Descriptors.jsonProblem(e), e);
        }
        if (!root.isJsonObject()) {
            throw new CamException(file + ": must be a COCO JSON object {\"images\": [...], \"categories\": "
                    + "[...], \"annotations\": [...]}, got " + shown(root));
        }
        return root.getAsJsonObject();
    }

    private CamException fail(String at, String problem) {
        return new CamException(file + ": " + at + ": " + problem);
    }

    private JsonElement required(JsonObject o, String key, String at) {
        String path = at.isEmpty() ? key : at + "." + key;
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw fail(path, "missing");
        }
        return e;
    }

    private JsonObject object(JsonElement e, String at) {
        if (!e.isJsonObject()) {
            throw fail(at, "must be an object, got " + shown(e));
        }
        return e.getAsJsonObject();
    }

    private JsonArray array(JsonElement e, String at) {
        if (!e.isJsonArray()) {
            throw fail(at, "must be a list, got " + shown(e));
        }
        return e.getAsJsonArray();
    }

    private JsonArray optionalArray(JsonObject root, String key) {
        JsonElement e = root.get(key);
        return e == null || e.isJsonNull() ? new JsonArray() : array(e, key);
    }

    private String string(JsonObject o, String key, String at) {
        JsonElement e = required(o, key, at);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
            throw fail(at + "." + key, "must be a non-empty string, got " + shown(e));
        }
        return e.getAsString();
    }

    private long whole(JsonObject o, String key, String at) {
        JsonElement e = required(o, key, at);
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                return e.getAsBigDecimal().longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException x) {
            // refused below
        }
        throw fail(at + "." + key, "must be a whole number, got " + shown(e));
    }

    private int positive(JsonObject o, String key, String at) {
        long value = whole(o, key, at);
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw fail(at + "." + key, "must be a positive whole number, got " + value);
        }
        return (int) value;
    }

    /** @return the finite numbers the list holds, or null if it holds anything else */
    private static double[] numbers(JsonArray list) {
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            JsonElement e = list.get(i);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
                    || !Double.isFinite(values[i] = e.getAsDouble())) {
                return null;
            }
        }
        return values;
    }

    /** @return the list as written, e.g. {@code [10, 10, 0, 5]} */
    private static String listed(JsonArray list) {
        List<String> items = new ArrayList<>();
        list.forEach(e -> items.add(e.toString()));
        return "[" + String.join(", ", items) + "]";
    }

    /** @return the value as JSON, cut short when long */
    private static String shown(JsonElement e) {
        String text = e.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
