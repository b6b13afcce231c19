package org.camkit.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the demo model's DJL weights, converting their layouts, and writing the SavedModel. What the SavedModel
 * computes is checked against the PyTorch backend by DemoCrossBackendTest, next to this test.
 */
class DemoWeightsTest {

    @TempDir
    Path dir;

    /** @return models/demo-biased.params of the repository (surefire sets camkit.models) */
    private static Path weights() {
        return Path.of(System.getProperty("camkit.models", "../../models")).resolve("demo-biased.params");
    }

    @Test
    void theDemoWeightsAreFourConvolutionsAndATwoClassHead() throws Exception {
        DemoSavedModel.Weights w = DemoSavedModel.read(weights());
        assertEquals(4, w.kernels().size());
        assertArrayEquals(new long[] {32, 3, 5, 5}, w.kernels().get(0).shape());
        assertArrayEquals(new long[] {256, 128, 5, 5}, w.kernels().get(3).shape());
        assertArrayEquals(new long[] {64}, w.biases().get(1).shape());
        assertEquals(2, w.classes());
        assertArrayEquals(new long[] {2, 256}, w.fcWeight().shape());
    }

    @Test
    void aMissingWeightsFileIsNamed() {
        Path missing = dir.resolve("nowhere.params");
        IOException e = assertThrows(IOException.class, () -> DemoSavedModel.convert(missing, dir.resolve("out")));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("train-demo"),
                e.getMessage());
    }

    @Test
    void aTruncatedWeightsFileIsNamed() throws Exception {
        Path truncated = dir.resolve("truncated.params");
        byte[] bytes = Files.readAllBytes(weights());
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> DemoSavedModel.convert(truncated, dir.resolve("out")));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written for unreadable weights");
    }

    @Test
    void weightsWithTrailingDataAreRefused() throws Exception {
        Path longer = dir.resolve("longer.params");
        byte[] bytes = Files.readAllBytes(weights());
        Files.write(longer, Arrays.copyOf(bytes, bytes.length + 8));
        IOException e = assertThrows(IOException.class, () -> DemoSavedModel.read(longer));
        assertTrue(e.getMessage().contains("another architecture"), e.getMessage());
    }

    @Test
    void pytorchKernelsAndLinearWeightsBecomeTensorFlowLayouts() {
        float[] oihw = counting(4 * 3 * 2 * 5);
        float[] hwio = DemoSavedModel.oihwToHwio(new DjlParameters.Parameter("weight", new long[] {4, 3, 2, 5}, oihw));
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 3; i++) {
                // [o][i][1][4] in OIHW is [1][4][i][o] in HWIO
                assertEquals(oihw[((o * 3 + i) * 2 + 1) * 5 + 4], hwio[((1 * 5 + 4) * 3 + i) * 4 + o]);
                assertEquals(oihw[((o * 3 + i) * 2) * 5 + 2], hwio[((0 * 5 + 2) * 3 + i) * 4 + o]);
            }
        }
        float[] outIn = counting(3 * 7);
        float[] inOut = DemoSavedModel.transpose(new DjlParameters.Parameter("weight", new long[] {3, 7}, outIn));
        assertEquals(outIn[2 * 7 + 5], inOut[5 * 3 + 2]);
    }

    @Test
    void convertingAgainReplacesTheSavedModelAndLeavesNoPartialCopy() throws Exception {
        Path out = dir.resolve("demo");
        DemoSavedModel.convert(weights(), out);
        Files.writeString(out.resolve("stale.txt"), "from an earlier conversion");
        DemoSavedModel.convert(weights(), out);
        assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
        assertTrue(Files.isDirectory(out.resolve("variables")));
        assertFalse(Files.exists(out.resolve("stale.txt")));
        assertFalse(Files.exists(dir.resolve("demo.partial")));
    }

    private static float[] counting(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }
}
