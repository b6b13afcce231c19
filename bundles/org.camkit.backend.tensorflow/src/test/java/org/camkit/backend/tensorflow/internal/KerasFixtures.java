package org.camkit.backend.tensorflow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.camkit.core.internal.Descriptors;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.testkit.Npy;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/*
 * The repository's fixtures (fixtures/ at its root, written by tools/camkit-export-tf and tools/camkit-export):
 * descriptors read by core, references read from .npy, and comparisons of camkit's NCHW
 * tensors with NHWC references by explicit indexing (independent of Layout).
 */
final class KerasFixtures {

    private KerasFixtures() {
    }

    /** @return fixtures/ of the repository (surefire sets camkit.fixtures) */
    static Path root() {
        Path dir = Path.of(System.getProperty("camkit.fixtures", "../../fixtures")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("tensorflow"))) {
            fail("fixtures are missing: expected " + dir + "/tensorflow; write them with tools/camkit-export-tf "
                    + "(python fixtures.py)");
        }
        return dir;
    }

    /** @return the descriptor {@code fixtures/<engine>/<name>.json}, read by core */
    static ModelDescriptor descriptor(String engine, String name) {
        return Descriptors.read(root().resolve(engine).resolve(name + ".json"));
    }

    /** A copy of a descriptor with other properties. */
    static ModelDescriptor withProperties(ModelDescriptor d, Map<String, String> properties) {
        return new ModelDescriptor(d.name(), d.backend(), d.file(), d.architecture(), d.inputWidth(),
                d.inputHeight(), d.mean(), d.std(), d.labels(), d.defaultLayer(), properties, d.channelOrder(), null);
    }

    /** A copy of a descriptor with another file. */
    static ModelDescriptor withFile(ModelDescriptor d, Path file) {
        return new ModelDescriptor(d.name(), d.backend(), file, d.architecture(), d.inputWidth(), d.inputHeight(),
                d.mean(), d.std(), d.labels(), d.defaultLayer(), d.properties(), d.channelOrder(), null);
    }

    /**
     * Copies a fixture's SavedModel directory to {@code target} with its signatures edited, e.g. to stand for a model
     * exported by an older tools/camkit-export-tf.
     *
     * @param edit changes the meta graph's signatures (the graph, functions and variables stay as they are)
     * @return a copy of the fixture's descriptor pointing at the copy
     */
    static ModelDescriptor withSignaturesEdited(ModelDescriptor fixture, Path target,
            UnaryOperator<MetaGraphDef.Builder> edit) {
        try {
            Path source = fixture.file();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(source.relativize(file).toString()));
                }
            }
            Path pb = target.resolve("saved_model.pb");
            SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
            edit.apply(model.getMetaGraphsBuilder(0));
            Files.write(pb, model.build().toByteArray());
            return withFile(fixture, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    /** @return {@code fixtures/<engine>/reference/<name>/<file>} */
    static Tensor reference(String engine, String name, String file) {
        Path npy = root().resolve(engine).resolve("reference").resolve(name).resolve(file);
        return Npy.read(npy);
    }

    /** @return {@code max |a - b| / max |reference|} for same-shaped tensors */
    static double relative(Tensor reference, Tensor actual) {
        assertArrayEquals(reference.shape(), actual.shape(), "shape of " + actual);
        float[] e = reference.toArray();
        float[] a = actual.toArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < e.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        assertTrue(scale > 0, "reference " + reference + " is all zeros: the comparison would prove nothing");
        return diff / scale;
    }

    /**
     * @param nhwc a reference {@code [N, H, W, C]}
     * @param nchw camkit's tensor, expected {@code [N, C, H, W]} with {@code nchw[n, c, y, x] == nhwc[n, y, x, c]}
     * @return {@code max |difference| / max |reference|}
     */
    static double relativeNhwc(Tensor nhwc, Tensor nchw) {
        int n = nhwc.dim(0);
        int h = nhwc.dim(1);
        int w = nhwc.dim(2);
        int c = nhwc.dim(3);
        assertArrayEquals(new int[] {n, c, h, w}, nchw.shape(), "camkit's layout of reference " + nhwc);
        float[] e = nhwc.toArray();
        float[] a = nchw.toArray();
        double diff = 0;
        double scale = 0;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        float expected = e[((b * h + y) * w + x) * c + k];
                        float actual = a[((b * c + k) * h + y) * w + x];
                        diff = Math.max(diff, Math.abs((double) actual - expected));
                        scale = Math.max(scale, Math.abs(expected));
                    }
                }
            }
        }
        assertTrue(scale > 0, "reference " + nhwc + " is all zeros: the comparison would prove nothing");
        return diff / scale;
    }

    /** @return an NHWC image batch as camkit's NCHW, by explicit indexing */
    static Tensor toNchw(Tensor nhwc) {
        int n = nhwc.dim(0);
        int h = nhwc.dim(1);
        int w = nhwc.dim(2);
        int c = nhwc.dim(3);
        float[] e = nhwc.toArray();
        float[] out = new float[e.length];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[((b * c + k) * h + y) * w + x] = e[((b * h + y) * w + x) * c + k];
                    }
                }
            }
        }
        return Tensor.copyOf(out, new int[] {n, c, h, w});
    }
}
