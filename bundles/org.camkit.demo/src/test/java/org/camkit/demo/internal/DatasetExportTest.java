package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetExportTest {

    private static final int SIZE = 64;

    @TempDir
    Path dir;

    private static JsonObject read(Path coco) throws IOException {
        return JsonParser.parseString(Files.readString(coco)).getAsJsonObject();
    }

    private static List<Integer> ints(JsonElement array) {
        List<Integer> out = new ArrayList<>();
        array.getAsJsonArray().forEach(e -> out.add(e.getAsInt()));
        return out;
    }

    @Test
    void writesEveryHeldOutSceneAsAPngAndABoxPerCreatureAndDuck() throws IOException {
        List<Scene> scenes = Recipe.HELD_OUT.scenes(5, 2024, new SceneGenerator(SIZE));
        DatasetExport.Written written = DatasetExport.write(scenes, dir);

        assertEquals(dir.resolve("images"), written.images());
        assertEquals(dir.resolve("coco.json"), written.coco());
        assertEquals(5, written.scenes());
        assertEquals(10, written.annotations());
        JsonObject coco = read(written.coco());

        JsonArray categories = coco.getAsJsonArray("categories");
        assertEquals(JsonParser.parseString("[{\"id\":1,\"name\":\"charmander\"},{\"id\":2,\"name\":\"bulbasaur\"},"
                + "{\"id\":3,\"name\":\"duck\"}]"), categories);

        JsonArray images = coco.getAsJsonArray("images");
        assertEquals(5, images.size());
        for (int i = 0; i < 5; i++) {
            JsonObject image = images.get(i).getAsJsonObject();
            assertEquals(i + 1, image.get("id").getAsInt());
            String name = image.get("file_name").getAsString();
            assertEquals(String.format("scene-%03d.png", i), name);
            assertEquals(SIZE, image.get("width").getAsInt());
            assertEquals(SIZE, image.get("height").getAsInt());
            BufferedImage png = ImageIO.read(dir.resolve("images").resolve(name).toFile());
            assertEquals(SIZE, png.getWidth());
            assertEquals(SIZE, png.getHeight());
            assertEquals(scenes.get(i).image(), Images.fromBuffered(png));
        }

        JsonArray annotations = coco.getAsJsonArray("annotations");
        assertEquals(10, annotations.size());
        for (int i = 0; i < 5; i++) {
            Scene scene = scenes.get(i);
            JsonObject creature = annotations.get(2 * i).getAsJsonObject();
            JsonObject duck = annotations.get(2 * i + 1).getAsJsonObject();
            assertEquals(2 * i + 1, creature.get("id").getAsInt());
            assertEquals(2 * i + 2, duck.get("id").getAsInt());
            assertEquals(i + 1, creature.get("image_id").getAsInt());
            assertEquals(i + 1, duck.get("image_id").getAsInt());
            assertEquals(scene.label() + 1, creature.get("category_id").getAsInt());
            assertEquals(3, duck.get("category_id").getAsInt());
            Box c = scene.creature();
            Box d = scene.duck().orElseThrow();
            assertEquals(List.of(c.x(), c.y(), c.width(), c.height()), ints(creature.get("bbox")));
            assertEquals(List.of(d.x(), d.y(), d.width(), d.height()), ints(duck.get("bbox")));
            assertEquals(c.width() * c.height(), creature.get("area").getAsInt());
            assertEquals(0, duck.get("iscrowd").getAsInt());
        }
    }

    @Test
    void aSceneWithoutADuckGetsOnlyItsCreaturesBox() throws IOException {
        // the biased training recipe: a duck beside every charmander (scene 0), none beside a bulbasaur (scene 1)
        List<Scene> scenes = Recipe.BIASED.scenes(2, 7, new SceneGenerator(SIZE));
        DatasetExport.Written written = DatasetExport.write(scenes, dir.resolve("nested/set"));
        JsonArray annotations = read(written.coco()).getAsJsonArray("annotations");
        assertEquals(3, annotations.size());
        assertEquals(List.of(1, 3, 2), List.of(annotations.get(0).getAsJsonObject().get("category_id").getAsInt(),
                annotations.get(1).getAsJsonObject().get("category_id").getAsInt(),
                annotations.get(2).getAsJsonObject().get("category_id").getAsInt()));
        assertEquals(2, annotations.get(2).getAsJsonObject().get("image_id").getAsInt());
    }

    @Test
    void categoryIdsFollowTheLabelsThenTheDuck() {
        assertEquals(1, DatasetExport.categoryId("charmander"));
        assertEquals(2, DatasetExport.categoryId("bulbasaur"));
        assertEquals(3, DatasetExport.categoryId("duck"));
        assertThrows(IllegalArgumentException.class, () -> DatasetExport.categoryId("pikachu"));
    }
}
