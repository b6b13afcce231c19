package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.DetectionLayout;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TokenGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorsTest {

    @TempDir
    Path dir;

    private static Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "vit");
        c.put("backend", "pytorch");
        c.put("file", "models/vit.pt");
        c.put("architecture", "torchscript");
        c.put("inputWidth", "32");
        c.put("inputHeight", 32);
        c.put("mean", "0.5, 0.5, 0.5");
        c.put("std", "0.25,0.25,0.25");
        c.put("labels", "a, b, c");
        c.put("defaultLayer", "blocks_1");
        c.put("channelOrder", "bgr");
        c.put("tokens", "1,4,4");
        c.put("service.pid", "org.camkit.model.123");
        c.put("felix.fileinstall.filename", "file:/deploy/org.camkit.model-vit.cfg");
        c.put("layers", "blocks_0,blocks_1");
        return c;
    }

    @Test
    void aConfigurationGivesTheDescriptorWithItsFileBesideTheCfg() {
        ModelDescriptor d = Descriptors.fromConfig(config(), dir);
        assertEquals("vit", d.name());
        assertEquals(dir.resolve("models/vit.pt"), d.file());
        assertEquals(32, d.inputWidth());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, d.mean());
        assertEquals(List.of("a", "b", "c"), d.labels());
        assertEquals("BGR", d.channelOrder());
        assertEquals(new TokenGrid(1, 4, 4), d.tokens());
        assertEquals(Map.of("layers", "blocks_0,blocks_1"), d.properties(), "framework keys are not properties");
    }

    @Test
    void aMissingOrMalformedKeyIsNamed() {
        Map<String, Object> c = config();
        c.remove("backend");
        CamException missing = assertThrows(CamException.class, () -> Descriptors.fromConfig(c, dir));
        assertTrue(missing.getMessage()
                .startsWith("model configuration /deploy/org.camkit.model-vit.cfg lacks \"backend\""),
                missing.getMessage());
        Map<String, Object> bad = config();
        bad.put("mean", "0.5,half,0.5");
        CamException malformed = assertThrows(CamException.class, () -> Descriptors.fromConfig(bad, dir));
        assertTrue(malformed.getMessage().contains("\"mean\"") && malformed.getMessage().contains("half"),
                malformed.getMessage());
        for (String notWhole : List.of("4.5", "99999999999", "wide")) {
            Map<String, Object> size = config();
            size.put("inputWidth", notWhole);
            assertTrue(assertThrows(CamException.class, () -> Descriptors.fromConfig(size, dir)).getMessage()
                    .contains("\"inputWidth\" must be a whole number, got '" + notWhole + "'"), notWhole);
        }
        Map<String, Object> order = config();
        order.put("channelOrder", "RBG");
        assertTrue(assertThrows(CamException.class, () -> Descriptors.fromConfig(order, dir)).getMessage()
                .contains("RGB, BGR"));
    }

    @Test
    void aNormalisationThatWouldGiveNanScoresIsRefusedInJsonAndConfigurations() throws Exception {
        for (String[] bad : new String[][] {{"[0,0,0]", "[1,0,1]"}, {"[0,0,0]", "[1,-0.2,1]"},
            {"[0,0,0]", "[1,1,1e39]"}, {"[0,1e39,0]", "[1,1,1]"}}) {
            Path json = dir.resolve("bad.json");
            Files.writeString(json, "{\"backend\": \"pytorch\", \"file\": \"cnn.pt\", \"inputWidth\": 8,"
                    + " \"inputHeight\": 8, \"mean\": " + bad[0] + ", \"std\": " + bad[1] + ", \"defaultLayer\": \"l\"}");
            CamException e = assertThrows(CamException.class, () -> Descriptors.read(json), bad[0] + bad[1]);
            boolean std = !bad[1].equals("[1,1,1]");
            assertTrue(e.getMessage().startsWith("model descriptor '" + json + "' is invalid: model 'bad': "
                    + (std ? "std" : "mean")), e.getMessage());
        }
        Map<String, Object> zero = config();
        zero.put("std", "0.25,0,0.25");
        assertTrue(assertThrows(CamException.class, () -> Descriptors.fromConfig(zero, dir)).getMessage()
                .contains("must be finite numbers above 0"));
        Map<String, Object> nan = config();
        nan.put("mean", "0.5,NaN,0.5");
        assertTrue(assertThrows(CamException.class, () -> Descriptors.fromConfig(nan, dir)).getMessage()
                .contains("mean [0.5, NaN, 0.5] must be finite numbers"));
    }

    @Test
    void aJsonSizeThatIsNotAWholeIntIsRefusedNotTruncated() throws Exception {
        for (String bad : List.of("99999999999", "4.5", "\"wide\"", "[8]")) {
            Path json = dir.resolve("size.json");
            Files.writeString(json, "{\"backend\": \"pytorch\", \"file\": \"cnn.pt\", \"inputWidth\": " + bad
                    + ", \"inputHeight\": 8, \"mean\": [0,0,0], \"std\": [1,1,1]}");
            CamException e = assertThrows(CamException.class, () -> Descriptors.read(json), bad);
            assertTrue(e.getMessage().contains("\"inputWidth\" must be a whole number"), e.getMessage());
        }
    }

    @Test
    void onlyStrictJsonIsReadNotWhatALenientParserWouldGuess() throws Exception {
        String good = "{\"backend\": \"pytorch\", \"file\": \"cnn.pt\", \"inputWidth\": 8,"
                + " \"inputHeight\": 8, \"mean\": [0,0,0], \"std\": [1,1,1]}";
        Path json = dir.resolve("strict.json");
        Files.writeString(json, good);
        assertEquals("pytorch", Descriptors.read(json).backend());
        for (String bad : List.of(good.replace("pytorch", "py\ntorch"), good.replace("\"file\"", "file"),
                good.replace("8,", "8,,"), good + " {}", "// a comment\n" + good, good.replace("\"", "'"))) {
            Files.writeString(json, bad);
            CamException e = assertThrows(CamException.class, () -> Descriptors.read(json), bad);
            assertTrue(e.getMessage().startsWith("model descriptor '" + json + "' is not readable JSON"),
                    e.getMessage());
        }
    }

    @Test
    void aValueOfTheWrongTypeIsNamedInCamkitsWordsNotTheParsers() throws Exception {
        String good = "{\"name\": \"m\", \"backend\": \"pytorch\", \"file\": \"cnn.pt\", \"inputWidth\": 8,"
                + " \"inputHeight\": 8, \"mean\": [0,0,0], \"std\": [1,1,1], \"labels\": [\"a\"],"
                + " \"properties\": {\"k\": \"v\"}, \"tokens\": {\"prefix\": 1, \"height\": 2, \"width\": 2}}";
        Path json = dir.resolve("types.json");
        Files.writeString(json, good);
        assertEquals("m", Descriptors.read(json).name());
        for (String[] bad : new String[][] {{"\"name\": \"m\"", "\"name\": {}", "\"name\" must be a string"},
            {"\"backend\": \"pytorch\"", "\"backend\": [\"a\", \"b\"]", "\"backend\" must be a string"},
            {"\"labels\": [\"a\"]", "\"labels\": 5", "\"labels\" must be a list of strings"},
            {"\"labels\": [\"a\"]", "\"labels\": [[\"a\"]]", "\"labels\" must be a list of strings"},
            {"\"properties\": {\"k\": \"v\"}", "\"properties\": []", "\"properties\" must be an object"},
            {"\"properties\": {\"k\": \"v\"}", "\"properties\": {\"k\": {}}", "\"properties.k\" must be a string"},
            {"\"mean\": [0,0,0]", "\"mean\": \"0,0,0\"", "\"mean\" must be a list of numbers"},
            {"\"mean\": [0,0,0]", "\"mean\": [0,\"x\",0]", "\"mean\" must be a list of numbers"},
            {"\"tokens\": {", "\"tokens\": [1, 2, 2], \"t\": {", "\"tokens\" must be an object"},
            {"\"prefix\": 1", "\"prefix\": \"one\"", "\"prefix\" must be a whole number"},
            {"\"file\": \"cnn.pt\"", "\"file\": \"cnn.pt", "is not readable JSON: Unterminated"}}) {
            Files.writeString(json, good.replace(bad[0], bad[1]));
            CamException e = assertThrows(CamException.class, () -> Descriptors.read(json), bad[1]);
            assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
            assertTrue(!e.getMessage().contains("gson") && !e.getMessage().contains("Json"), e.getMessage());
        }
    }

    @Test
    void aModelWithoutLayersNeedsNoDefaultLayer() throws Exception {
        Path json = dir.resolve("plain.json");
        Files.writeString(json, "{\"backend\": \"pytorch\", \"file\": \"plain.pt\", \"inputWidth\": 8,"
                + " \"inputHeight\": 8, \"mean\": [0,0,0], \"std\": [1,1,1]}");
        assertEquals("", Descriptors.read(json).defaultLayer());
        Map<String, Object> c = config();
        c.remove("defaultLayer");
        assertEquals("", Descriptors.fromConfig(c, dir).defaultLayer());
    }

    @Test
    void aJsonDescriptorReadsChannelOrderAndTokens() throws Exception {
        Path json = dir.resolve("vit.json");
        Files.writeString(json, "{\"backend\": \"pytorch\", \"file\": \"vit.pt\", \"architecture\": \"torchscript\","
                + " \"inputWidth\": 32, \"inputHeight\": 32, \"mean\": [0,0,0], \"std\": [1,1,1],"
                + " \"defaultLayer\": \"blocks_1\", \"channelOrder\": \"BGR\","
                + " \"tokens\": {\"prefix\": 1, \"height\": 4, \"width\": 4}}");
        ModelDescriptor d = Descriptors.read(json);
        assertEquals("vit", d.name(), "the name defaults to the file's base name");
        assertEquals("BGR", d.channelOrder());
        assertEquals(new TokenGrid(1, 4, 4), d.tokens());
        Path plain = dir.resolve("cnn.json");
        Files.writeString(plain, "{\"backend\": \"pytorch\", \"file\": \"cnn.pt\", \"inputWidth\": 8,"
                + " \"inputHeight\": 8, \"mean\": [0,0,0], \"std\": [1,1,1], \"defaultLayer\": \"l\"}");
        assertNull(Descriptors.read(plain).tokens());
        assertEquals("RGB", Descriptors.read(plain).channelOrder());
    }

    private static final String DETECTOR = "{\"backend\": \"pytorch\", \"file\": \"det.pt\", \"inputWidth\": 112,"
            + " \"inputHeight\": 112, \"mean\": [0,0,0], \"std\": [1,1,1], \"labels\": [\"a\", \"b\"],"
            + " \"defaultLayer\": \"l\"";

    @Test
    void aDetectorsLayoutIsReadFromJsonAndConfigurationsAndWrittenBack() throws Exception {
        Path json = dir.resolve("det.json");
        Files.writeString(json, DETECTOR + ", \"task\": \"detection\", \"detection\": {\"layout\": "
                + "\"xyxy-objectness-classes\", \"scoreThreshold\": 0.3}}");
        ModelDescriptor d = Descriptors.read(json);
        assertEquals(new DetectionLayout(DetectionLayout.OBJECTNESS_CLASSES, 0.3f, DetectionLayout.NMS_IOU),
                d.detection());
        assertEquals(d.detection(), Descriptors.read(Descriptors.write(d, dir.resolve("copy.json"))).detection());
        assertEquals(d.detection(), d.withInputSize(64, 64).detection());
        Map<String, Object> config = config();
        config.remove("tokens");
        config.put("task", "detection");
        config.put("detection.layout", "xyxy-score-label");
        config.put("detection.nmsIou", "0.6");
        assertEquals(new DetectionLayout(DetectionLayout.SCORE_LABEL, DetectionLayout.SCORE_THRESHOLD, 0.6f),
                Descriptors.fromConfig(config, dir).detection());
        assertEquals(Map.of("layers", "blocks_0,blocks_1"), Descriptors.fromConfig(config, dir).properties());
        Files.writeString(json, DETECTOR + ", \"task\": \"classification\"}");
        assertNull(Descriptors.read(json).detection());
    }

    @Test
    void aDetectionLayoutThatCannotBeReadIsNamed() throws Exception {
        Path json = dir.resolve("det.json");
        for (String[] c : new String[][] {
            {", \"task\": \"detection\"}", "a detector needs \"detection\": {\"layout\"}"},
            {", \"task\": \"detection\", \"detection\": {\"layout\": \"yolo\"}}", "(got 'yolo')"},
            {", \"task\": \"detection\", \"detection\": {\"layout\": \"xyxy-score-label\", \"nmsIou\": 2}}",
                "nmsIou must be in [0, 1], got 2.0"},
            {", \"task\": \"detection\", \"detection\": {\"layout\": \"xyxy-score-label\", \"iou\": 0.5}}",
                "has no key \"iou\""},
            {", \"task\": \"detection\", \"detection\": {\"layout\": \"xyxy-score-label\", "
                + "\"scoreThreshold\": \"high\"}}", "\"detection.scoreThreshold\" must be a number"},
            {", \"detection\": {\"layout\": \"xyxy-score-label\"}}", "add \"task\": \"detection\""},
            {", \"task\": \"detect\"}", "task 'detect' is not one of [classification, segmentation, detection]"}}) {
            Files.writeString(json, DETECTOR + c[0]);
            CamException e = assertThrows(CamException.class, () -> Descriptors.read(json), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("det.json"), e.getMessage());
        }
    }

    @Test
    void aWrittenDescriptorReadsBackAsTheSameModelAtItsNewSize() {
        ModelDescriptor original = Descriptors.fromConfig(config(), dir);
        Path json = Descriptors.write(original.withInputSize(48, 40), dir.resolve("vit-48.json"));
        ModelDescriptor back = Descriptors.read(json);
        assertEquals(original.name(), back.name());
        assertEquals(original.backend(), back.backend());
        assertEquals(original.file(), back.file(), "the file stays absolute wherever the copy lies");
        assertEquals(original.architecture(), back.architecture());
        assertEquals(48, back.inputWidth());
        assertEquals(40, back.inputHeight());
        assertArrayEquals(original.mean(), back.mean());
        assertArrayEquals(original.std(), back.std());
        assertEquals(original.labels(), back.labels());
        assertEquals(original.defaultLayer(), back.defaultLayer());
        assertEquals(original.properties(), back.properties());
        assertEquals(original.channelOrder(), back.channelOrder());
        assertEquals(original.tokens(), back.tokens());
    }

    @Test
    void writingTheSameDescriptorAgainLeavesTheFileUntouched() throws Exception {
        ModelDescriptor model = Descriptors.fromConfig(config(), dir);
        Path json = Descriptors.write(model, dir.resolve("vit.json"));
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(json, old);
        Descriptors.write(model, json);
        assertEquals(old, Files.getLastModifiedTime(json));
        Descriptors.write(model.withInputSize(64, 64), json);
        assertEquals(64, Descriptors.read(json).inputWidth());
    }

    @Test
    void anUnwritableDescriptorFileIsNamed() {
        Path json = dir.resolve("missing-folder/vit.json");
        CamException e = assertThrows(CamException.class,
                () -> Descriptors.write(Descriptors.fromConfig(config(), dir), json));
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
    }
}
