package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camkit.core.internal.Descriptors;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;

/*
 * The TorchScript fixtures of the export contract (fixtures/torchscript at the repository root, written by
 * tools/camkit-export): <name>.pt/.json and reference/<name>/*.npy with meta.json. The system property
 * camkit.torchscript.fixtures points elsewhere.
 */
final class TorchScriptFixtures {

    static final List<String> NAMES = List.of("resnet", "fcn", "vit");

    private TorchScriptFixtures() {
    }

    static Path dir() {
        Path dir = Path.of(System.getProperty("camkit.torchscript.fixtures", "../../fixtures/torchscript"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            fail("TorchScript fixtures are missing: expected " + dir + " with resnet/fcn/vit .pt/.json and "
                    + "reference/<name>/*.npy; write them with tools/camkit-export (see its README)");
        }
        return dir;
    }

    static ModelDescriptor descriptor(String name) {
        Path json = dir().resolve(name + ".json");
        if (!Files.isRegularFile(json)) {
            fail("TorchScript fixture " + json + " is missing; write it with tools/camkit-export");
        }
        return Descriptors.read(json);
    }

    static Tensor reference(String name, String file) {
        Path npy = dir().resolve("reference").resolve(name).resolve(file);
        if (!Files.isRegularFile(npy)) {
            fail("TorchScript fixture reference " + npy + " is missing; write it with tools/camkit-export");
        }
        return Npy.read(npy);
    }

    /** @return the layers meta.json lists for a fixture */
    static List<String> layers(String name) {
        Path meta = dir().resolve("reference").resolve(name).resolve("meta.json");
        try {
            List<String> layers = new ArrayList<>();
            JsonParser.parseString(Files.readString(meta)).getAsJsonObject().getAsJsonArray("layers")
                    .forEach(e -> layers.add(e.getAsString()));
            return layers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts equal shapes and |actual - expected| <= tolerance * max|expected| everywhere; an all-zero reference
     * (e.g. the token-grid gradient at a transformer's last block, whose head reads only the class token) needs
     * |actual| <= tolerance * 1e-2.
     */
    static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(a[i] - e[i]);
            if (diff > worst) {
                worst = diff;
                at = i;
            }
        }
        if (scale == 0) {
            scale = 1e-2;
        }
        assertTrue(worst <= tolerance * scale, what + ": relative error " + worst / scale + " > " + tolerance
                + " at flat index " + at + " (expected " + (at < 0 ? 0 : e[at]) + ", got " + (at < 0 ? 0 : a[at])
                + ")");
    }
}
