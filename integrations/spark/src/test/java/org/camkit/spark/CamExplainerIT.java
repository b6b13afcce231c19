package org.camkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CamExplainer in Spark's local mode with two task threads, on the demo's scenes: the same maps and predictions as
 * the shell's {@code cam:explain --images}, a corrupt image as an error row, one runtime for every transform.
 */
class CamExplainerIT {
    private static final String MODEL = "demo-clean";
    private static final int IMAGES = 64;
    private static final int SIZE = 224;
    /** The job's summary of the scenes and the corrupt file. */
    private static final String SUMMARY = "camkit: " + (IMAGES + 1) + " images, " + IMAGES + " explained, 1 failed";

    @TempDir
    static Path dir;
    private static Path images;
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() throws Exception {
        images = Files.createDirectories(dir.resolve("images"));
        SceneGenerator generator = new SceneGenerator(SIZE);
        for (int i = 0; i < IMAGES; i++) {
            Files.write(images.resolve(String.format("scene-%02d.png", i)),
                    generator.scene(500 + i, i % 2, false).image().png());
        }
        Files.write(images.resolve("zz-broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2});
        spark = SparkSession.builder().master("local[2]").appName("camkit-spark-it")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> images() {
        // binaryFile packs small files into one partition; four partitions keep both task threads busy
        return spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load(images.toString())
                .repartition(4);
    }

    private static CamExplainer explainer() {
        return new CamExplainer().setModel(MODEL).setCamkitHome(System.getProperty("camkit.home"))
                .setModelsDir(System.getProperty("camkit.models"));
    }

    @Test
    void everyMapEqualsTheShellsAndACorruptImageBecomesAnErrorRow() throws Exception {
        List<Row> rows = explainer().setOutputs("map", "npy", "overlay", "peak", "prediction", "scores")
                .setBatchSize(8).transform(images()).select("path", "cam").collectAsList();

        Path out = dir.resolve("shell");
        CamkitRuntime runtime = ExecutorRuntime.runtime().orElseThrow();
        CommandResult shell = runtime.execute("cam:explain --model " + MODEL + " --images " + images + " --out-dir "
                + out + " --outputs map --batch-size 8");
        assertNull(shell.exception(), () -> "the shell's cam:explain failed: " + shell.exception());
        Map<String, JsonObject> index = new HashMap<>();
        try (Stream<String> lines = Files.lines(out.resolve("index.jsonl"))) {
            lines.filter(l -> !l.isBlank()).map(l -> JsonParser.parseString(l).getAsJsonObject())
                    .forEach(line -> index.put(Path.of(line.get("image").getAsString()).getFileName().toString(),
                            line));
        }

        assertEquals(IMAGES + 1, rows.size(), "one row per image");
        assertEquals(IMAGES + 1, index.size(), "one index line per image");
        int errors = 0;
        for (Row row : rows) {
            String file = Path.of(java.net.URI.create(row.getString(0))).getFileName().toString();
            Row cam = row.getStruct(1);
            JsonObject line = index.get(file);
            assertNotNull(line, file);
            if (file.equals("zz-broken.png")) {
                errors++;
                assertNotNull(cam.getAs("error"), "the corrupt image's row has its error");
                assertTrue(line.has("error"), line.toString());
                assertNull(cam.getAs("map"), "an error row has no map");
                continue;
            }
            assertNull(cam.getAs("error"), () -> file + ": " + cam.getAs("error"));
            String stem = file.substring(0, file.length() - ".png".length());
            float[] expected = Npy.read(out.resolve(stem + ".npy")).toArray();
            float[] map = floats(cam.getList(cam.fieldIndex("map")));
            assertArrayEquals(expected, map, 1e-6f, file + ": Spark's map vs the shell's");
            assertArrayEquals(expected, Npy.read(npy(cam.getAs("npy"))).toArray(), 1e-6f, file + ": npy bytes");
            assertEquals(line.get("prediction").getAsInt(), (int) cam.getAs("prediction"), file);
            assertEquals(line.get("label").getAsString(), cam.getAs("label"), file);
            assertEquals(line.get("targetScore").getAsFloat(), (float) cam.getAs("targetScore"), 1e-5f, file);
            float[] scores = floats(cam.getList(cam.fieldIndex("scores")));
            JsonArray output = line.getAsJsonArray("output");
            assertEquals(output.size(), scores.length, file);
            for (int k = 0; k < scores.length; k++) {
                assertEquals(output.get(k).getAsFloat(), scores[k], 1e-5f, file + ": score " + k);
            }
            Row peak = cam.getAs("peak");
            assertEquals(line.getAsJsonObject("peak").get("x").getAsInt(), peak.getInt(0), file);
            assertEquals(line.getAsJsonObject("peak").get("y").getAsInt(), peak.getInt(1), file);
            BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(cam.getAs("overlay")));
            assertNotNull(overlay, file + ": the overlay is a PNG");
            assertEquals((int) cam.getAs("width"), overlay.getWidth(), file);
        }
        assertEquals(1, errors, "the corrupt image is one error row and the job went on");
    }

    @Test
    void aSecondTransformReusesTheExecutorRuntime() throws Exception {
        assertEquals(IMAGES + 1, explainer().transform(images()).count());
        CamkitRuntime first = ExecutorRuntime.runtime().orElseThrow();

        List<Row> hires = explainer().setMethod("hirescam").setOutputs("prediction")
                .transform(images().select("content").union(spark.sql("SELECT CAST(NULL AS BINARY) AS content")))
                .select("cam.error").collectAsList();

        assertEquals(IMAGES, hires.stream().filter(r -> r.isNullAt(0)).count());
        List<String> errors = hires.stream().filter(r -> !r.isNullAt(0)).map(r -> r.getString(0)).sorted().toList();
        assertEquals(2, errors.size(), "the corrupt file and the null image: " + errors);
        assertTrue(errors.stream().allMatch(e -> e.contains("partition ") && e.contains(", row ")),
                "without a path column an error names the row: " + errors);
        assertTrue(errors.stream().anyMatch(e -> e.endsWith(": no image bytes (the image column is null)")),
                errors.toString());
        assertSame(first, ExecutorRuntime.runtime().orElseThrow(), "the same runtime explained both transforms");
        Exception other = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> explainer()
                .setModelsDir(dir.toString()).transform(images().limit(1)).count());
        assertTrue(String.valueOf(other.getMessage()).contains("Native engines load once per JVM"),
                "a transform asking for another runtime is refused: " + other.getMessage());
        assertSame(first, ExecutorRuntime.runtime().orElseThrow(), "and the running one stays");
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            assertEquals(1, maps.filter(l -> l.endsWith("libtorch_cpu.so")).map(l -> l.substring(l.indexOf('/')))
                    .distinct().count(), "libtorch loaded once");
        }
    }

    @Test
    void aTransformerSavedAloneOrInAPipelineLoadsWithEveryParam() throws java.io.IOException {
        CamExplainer explainer = explainer().setMethod("scorecam").setLayers("relu3", "relu4").setTarget("class:1")
                .setOutputs("map", "peak").setBatchSize(4).setEngineThreads(1).setPathCol("file");
        String alone = dir.resolve("saved/explainer").toString();
        explainer.write().overwrite().save(alone);
        assertSameParams(explainer, CamExplainer.load(alone));
        String bare = dir.resolve("saved/bare").toString();
        new CamExplainer().setModel(MODEL).write().overwrite().save(bare);
        CamExplainer loaded = CamExplainer.load(bare);
        assertFalse(loaded.isDefined(loaded.camkitHome()),
                "a home not set is looked up where the transformer runs, not saved from this JVM's camkit.home");

        Dataset<Row> none = images().limit(0);
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {explainer}).fit(none);
        String saved = dir.resolve("saved/pipeline").toString();
        pipeline.write().overwrite().save(saved);
        Transformer stage = PipelineModel.load(saved).stages()[0];
        assertTrue(stage instanceof CamExplainer, stage.getClass().getName());
        assertSameParams(explainer, (CamExplainer) stage);
    }

    private static void assertSameParams(CamExplainer expected, CamExplainer actual) {
        assertEquals(expected.uid(), actual.uid());
        for (Param<?> param : expected.params()) {
            Object want = expected.getOrDefault(param);
            Object got = actual.getOrDefault(actual.getParam(param.name()));
            if (want instanceof String[] array) {
                assertArrayEquals(array, (String[]) got, param.name());
            } else {
                assertEquals(want, got, param.name());
            }
            assertEquals(expected.isSet(param), actual.isSet(actual.getParam(param.name())), param.name() + " set");
        }
    }

    @Test
    void theJobReadsAFolderOrAParquetTableAndWritesParquetWithoutTheImageBytes() {
        Path output = dir.resolve("cams.parquet");

        String summary = CamExplainJob.run(spark, CamExplainJob.options(new String[] {"--input", images.toString(),
            "--output", output.toString(), "--model", MODEL, "--models", System.getProperty("camkit.models"),
            "--outputs", "map,prediction"}));

        assertTrue(summary.startsWith(SUMMARY), summary);
        assertTrue(summary.contains("failed: ") && summary.contains("zz-broken.png"), summary);
        Dataset<Row> written = spark.read().parquet(output.toString());
        assertEquals(List.of("path", "modificationTime", "length", "cam"), List.of(written.columns()));
        assertEquals(IMAGES, written.where("cam.error IS NULL AND size(cam.map) = cam.width * cam.height").count());

        Path table = dir.resolve("images.parquet");
        images().withColumnRenamed("content", "bytes").write().parquet(table.toString());
        String fromTable = CamExplainJob.run(spark, CamExplainJob.options(new String[] {"--input", table.toString(),
            "--output", dir.resolve("cams-from-table.parquet").toString(), "--model", MODEL, "--models",
            System.getProperty("camkit.models"), "--image-column", "bytes", "--outputs", "prediction"}));
        assertTrue(fromTable.startsWith(SUMMARY), fromTable);
    }

    private static float[] floats(List<Object> values) {
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = ((Number) values.get(i)).floatValue();
        }
        return floats;
    }

    private static Path npy(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "map", ".npy");
        return Files.write(file, bytes);
    }
}
