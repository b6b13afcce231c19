package org.camkit.demo.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.camkit.api.CamException;

/**
 * Writes scenes as a COCO dataset that {@code cam:evaluate} (or pycocotools) reads: the pictures as
 * {@code images/scene-000.png, ...} and {@code coco.json} with a box per creature and per duck. Categories: the
 * {@link SceneGenerator#LABELS labels} from id 1, then {@link SceneGenerator#DUCK}.
 */
public final class DatasetExport {

    /** The pictures' folder inside the dataset folder. */
    public static final String IMAGES = "images";
    /** The annotations' file inside the dataset folder. */
    public static final String COCO = "coco.json";

    private DatasetExport() {
    }

    /**
     * What was written.
     *
     * @param images      the pictures' folder
     * @param coco        the COCO file
     * @param scenes      how many pictures
     * @param annotations how many boxes
     * @param width       the pictures' width
     * @param height      the pictures' height
     */
    public record Written(Path images, Path coco, int scenes, int annotations, int width, int height) {
    }

    /**
     * @param index a scene's index
     * @return its picture's file name, {@code scene-000.png} for the first
     */
    public static String fileName(int index) {
        return String.format(Locale.ROOT, "scene-%03d.png", index);
    }

    /**
     * @param category a category name
     * @return its COCO id: a label's index + 1, or the one after the labels for the duck
     */
    public static int categoryId(String category) {
        int label = SceneGenerator.LABELS.indexOf(category);
        if (label >= 0) {
            return label + 1;
        }
        if (category.equals(SceneGenerator.DUCK)) {
            return SceneGenerator.LABELS.size() + 1;
        }
        throw new IllegalArgumentException("no COCO category for '" + category + "'");
    }

    /**
     * Writes the dataset, replacing files of the same names.
     *
     * @param scenes the scenes, at least one
     * @param folder the dataset folder, created if missing
     * @return what was written
     * @throws CamException if a file cannot be written
     */
    public static Written write(List<Scene> scenes, Path folder) {
        if (scenes.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one scene");
        }
        Path images = folder.resolve(IMAGES);
        Path coco = folder.resolve(COCO);
        JsonArray imageList = new JsonArray();
        JsonArray annotations = new JsonArray();
        try {
            Files.createDirectories(images);
            for (int i = 0; i < scenes.size(); i++) {
                Scene scene = scenes.get(i);
                Files.write(images.resolve(fileName(i)), scene.image().png());
                JsonObject image = new JsonObject();
                image.addProperty("id", i + 1);
                image.addProperty("file_name", fileName(i));
                image.addProperty("width", scene.image().width());
                image.addProperty("height", scene.image().height());
                imageList.add(image);
                for (Scene.Annotated object : scene.objects()) {
                    annotations.add(annotation(annotations.size() + 1, i + 1, object));
                }
            }
            JsonObject root = new JsonObject();
            JsonObject info = new JsonObject();
            info.addProperty("description", "camkit biased-duck demo: held-out scenes (cam:demo --export-dataset)");
            root.add("info", info);
            root.add("images", imageList);
            root.add("categories", categories());
            root.add("annotations", annotations);
            Files.writeString(coco, new GsonBuilder().setPrettyPrinting().create().toJson(root),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CamException("cam:demo cannot write the dataset into " + folder + " (" + e.getMessage()
                    + "); pass a writable --export-dataset folder", e);
        }
        return new Written(images, coco, scenes.size(), annotations.size(), scenes.get(0).image().width(),
                scenes.get(0).image().height());
    }

    private static JsonArray categories() {
        List<String> names = new ArrayList<>(SceneGenerator.LABELS);
        names.add(SceneGenerator.DUCK);
        JsonArray out = new JsonArray();
        for (String name : names) {
            JsonObject category = new JsonObject();
            category.addProperty("id", categoryId(name));
            category.addProperty("name", name);
            out.add(category);
        }
        return out;
    }

    private static JsonObject annotation(int id, int imageId, Scene.Annotated object) {
        Box box = object.box();
        JsonArray bbox = new JsonArray();
        bbox.add(box.x());
        bbox.add(box.y());
        bbox.add(box.width());
        bbox.add(box.height());
        JsonObject out = new JsonObject();
        out.addProperty("id", id);
        out.addProperty("image_id", imageId);
        out.addProperty("category_id", categoryId(object.category()));
        out.add("bbox", bbox);
        out.addProperty("area", box.width() * box.height());
        out.addProperty("iscrowd", 0);
        return out;
    }
}
