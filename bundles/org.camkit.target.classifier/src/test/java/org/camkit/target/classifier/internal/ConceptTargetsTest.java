package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConceptTargetsTest {

    private static final float[] OUTPUT = {3, 4, 0};

    @TempDir
    Path dir;

    @Test
    void similarityIsTheCosineWithItsGradientAsSeed() throws IOException {
        // y = (3, 4, 0), c = (1, 0, 0): s = 3/5; ds/dy = c / (|y| |c|) - s y / |y|^2 = (0.2, 0, 0) - 0.6 (3, 4, 0) / 25
        TargetScore score = resolve(new SimilarityTarget(), concept("c.npy", 1, 0, 0), OUTPUT);
        assertEquals(0.6f, score.score(), 1e-7f);
        assertSeed(new float[] {0.128f, -0.096f, 0}, score.seed());
        assertEquals(-1, score.classIndex());
        assertEquals("cosine similarity to concept c.npy", score.description());
    }

    @Test
    void differenceIsOneMinusTheCosineWithTheNegatedSeed() throws IOException {
        TargetScore score = resolve(new DifferenceTarget(), concept("c.npy", 1, 0, 0), OUTPUT);
        assertEquals(0.4f, score.score(), 1e-7f);
        assertSeed(new float[] {-0.128f, 0.096f, 0}, score.seed());
        assertEquals("1 - cosine similarity to concept c.npy", score.description());
    }

    @Test
    void theSeedsEqualTheFiniteDifferenceGradients() throws IOException {
        String concept = concept("c.npy", 0.3f, -1.2f, 2.0f);
        float[] output = {1.5f, 0.2f, -0.7f};
        for (TargetResolver target : new TargetResolver[] {new SimilarityTarget(), new DifferenceTarget()}) {
            float[] seed = resolve(target, concept, output).seed();
            double[] numeric = Outputs.numericGradient(o -> Outputs.score(target, concept, o), output, 1e-2f);
            for (int i = 0; i < output.length; i++) {
                assertEquals(numeric[i], seed[i], 1e-4, target.getClass().getSimpleName() + " d/dy_" + i);
            }
        }
    }

    @Test
    void theConceptsLengthNotItsScaleMattersAndABatchOfOneIsAVector() throws IOException {
        Path scaled = write("scaled.npy", new float[] {5, 0, 0}, 1, 3); // [1, 3], as model(x) returns
        assertEquals(0.6f, resolve(new SimilarityTarget(), scaled.toString(), OUTPUT).score(), 1e-7f);
    }

    @Test
    void aRelativePathIsReadFromTheWorkingDirectory() throws IOException {
        Path file = write("relative.npy", new float[] {0, 1, 0}, 3);
        String relative = Path.of("").toAbsolutePath().relativize(file).toString();
        assertEquals(0.8f, resolve(new SimilarityTarget(), relative, OUTPUT).score(), 1e-7f);
    }

    @Test
    void aMissingArgumentNamesTheForm() {
        assertRefused("", "needs a concept file: similarity:<concept.npy>");
    }

    @Test
    void aMissingFileOrADirectoryIsNamed() {
        assertRefused(dir.resolve("absent.npy").toString(), "no such file " + dir.resolve("absent.npy"));
        assertRefused(dir.toString(), "is not a regular file");
    }

    @Test
    void aUrlIsRefused() {
        assertRefused("http://example.org/concept.npy", "reads a local file, not a URL");
        assertRefused("file:///tmp/concept.npy", "reads a local file, not a URL");
    }

    @Test
    void anotherTypeIsRefusedWithTheFix() throws IOException {
        Path f8 = Files.write(dir.resolve("f8.npy"), npy("'<f8'", "(3,)", new byte[24]));
        assertRefused(f8.toString(), "'<f8', only little-endian float32");
        Path notNpy = Files.writeString(dir.resolve("text.npy"), "0.1 0.2 0.3");
        assertRefused(notNpy.toString(), "not a .npy file");
    }

    @Test
    void aConceptOfAnotherLengthOrShapeIsRefusedBeforeItIsRead() throws IOException {
        assertRefused(write("long.npy", new float[] {1, 2, 3, 4}, 4).toString(), "holds 4 values; at most 3");
        assertRefused(write("short.npy", new float[] {1, 2}, 2).toString(), "not a vector of 3 values");
        assertRefused(write("column.npy", new float[] {1, 2, 3}, 3, 1).toString(), "shape [3, 1], not a vector");
        // a header announcing a huge array over a few bytes: refused by its header, nothing allocated
        Path forged = Files.write(dir.resolve("forged.npy"), npy("'<f4'", "(1000000000,)", new byte[12]));
        assertRefused(forged.toString(), "holds 1000000000 values; at most 3");
    }

    @Test
    void aZeroOrNonFiniteConceptIsRefused() throws IOException {
        assertRefused(concept("zero.npy", 0, 0, 0), "is the zero vector");
        assertRefused(concept("nan.npy", 1, Float.NaN, 0), "holds NaN at index 1");
    }

    @Test
    void aZeroOutputOrAnOutputThatIsNotAVectorIsRefused() throws IOException {
        String concept = concept("c.npy", 1, 0, 0);
        CamException zero = assertThrows(CamException.class,
                () -> resolve(new SimilarityTarget(), concept, new float[3]));
        assertTrue(zero.getMessage().contains("output is the zero vector"), zero.getMessage());
        CamException map = assertThrows(CamException.class, () -> new DifferenceTarget().resolve(
                new TargetRequest(concept, OUTPUT, MODEL, null, new int[] {3, 1, 1})));
        assertTrue(map.getMessage().contains("gives output shape [3, 1, 1]"), map.getMessage());
    }

    private void assertRefused(String argument, String expected) {
        for (String name : new String[] {"similarity", "difference"}) {
            TargetResolver target = name.equals("similarity") ? new SimilarityTarget() : new DifferenceTarget();
            CamException e = assertThrows(CamException.class, () -> resolve(target, argument, OUTPUT));
            String message = e.getMessage().replace(name, "similarity");
            assertTrue(message.contains(expected), message);
            assertTrue(message.startsWith("target 'similarity"), message);
        }
    }

    private static TargetScore resolve(TargetResolver target, String argument, float[] output) {
        return target.resolve(new TargetRequest(argument, output, MODEL));
    }

    private static void assertSeed(float[] expected, float[] seed) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], seed[i], 1e-6f, "seed " + i + " of " + Arrays.toString(seed));
        }
    }

    private String concept(String name, float... values) throws IOException {
        return write(name, values, values.length).toString();
    }

    private Path write(String name, float[] values, int... shape) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        String dims = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", "));
        return Files.write(dir.resolve(name), npy("'<f4'", "(" + dims + (shape.length == 1 ? ",)" : ")"),
                data.array()));
    }

    /** @return a .npy file, version 1, as np.save writes it: magic, header dict padded to 64 bytes, data */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 11 - dict.length()) + "\n";
        ByteBuffer file = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        file.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return file.array();
    }
}
