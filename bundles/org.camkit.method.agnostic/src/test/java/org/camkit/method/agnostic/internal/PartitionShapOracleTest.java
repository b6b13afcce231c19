package org.camkit.method.agnostic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.spi.CamMaps;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.camkit.testkit.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partition SHAP equals shap 0.51's {@code PartitionExplainer} with {@code maskers.Image} on a small model computed
 * the same way here and there ({@code fixtures/torchscript/reference/partitionshap/small_*.npy}, written by
 * {@code tools/camkit-export/partition_references.py}): {@code f(x) = sigmoid(w . x) + 0.5 (v . x)^2} on a 6 x 7 RGB
 * image, the whole tree and three limited budgets, so the same cells are refined in the same order.
 */
class PartitionShapOracleTest {

    /** The generator's cases: options, in the order of small_values.npy. */
    private static final List<Map<String, String>> CASES = List.of(
            Map.of("blur", "3", "max-evals", "100000", "batch-size", "64"),
            Map.of("blur", "3", "max-evals", "60", "batch-size", "6"),
            Map.of("blur", "3", "max-evals", "200", "batch-size", "16"),
            Map.of("masker", "colour", "colour", "64,64,64", "max-evals", "100", "batch-size", "10"));

    private static Path dir() {
        Path dir = Path.of(System.getProperty("camkit.torchscript.fixtures", "../../fixtures/torchscript"))
                .resolve("reference/partitionshap").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            fail("Partition SHAP references are missing: expected " + dir + "; write them with "
                    + "tools/camkit-export/partition_references.py");
        }
        return dir;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void theValuesEqualShapsPartitionExplainer(int c) {
        Path dir = dir();
        Tensor x = Npy.read(dir.resolve("small_input.npy"));
        float[] w = Npy.read(dir.resolve("small_w.npy")).toArray();
        float[] v = Npy.read(dir.resolve("small_v.npy")).toArray();
        Tensor values = Npy.read(dir.resolve("small_values.npy"));
        Tensor scores = Npy.read(dir.resolve("small_scores.npy"));
        int h = x.dim(1), width = x.dim(2), pixels = h * width;
        FakeProbe probe = FakeProbe.builder().input(x.reshape(1, 3, h, width)).scoreInputs((image, row) -> {
            double a = 0, b = 0;
            for (int j = 0; j < row.size(); j++) {
                a += (double) w[j] * row.get(j);
                b += (double) v[j] * row.get(j);
            }
            return (float) (1 / (1 + Math.exp(-a)) + 0.5 * b * b);
        }).build();
        CamMaps maps = new PartitionShap().compute(new LayerData(null, null, null, new float[1], probe,
                CASES.get(c)));
        float[] expected = new float[pixels];
        values.copyTo(c * pixels, expected, 0, pixels);
        assertArrayEquals(expected, maps.maps().toArray(), 1e-6f, "case " + c + " " + CASES.get(c));
        assertEquals(scores.at(c, 0), maps.details().get("fx")[0], 1e-7f);
        assertEquals(scores.at(c, 1), maps.details().get("base")[0], 1e-6f);
        assertEquals(scores.at(c, 2), maps.details().get("passes")[0]);
    }
}
