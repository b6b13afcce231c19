package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyFilesTest {

    private static final String NUMPY_2X3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    @TempDir
    Path dir;

    @Test
    void readsAFloat32ArrayAsNumpySavesIt() throws IOException {
        Tensor t = NpyFiles.read(write(npy(1, NUMPY_2X3, 6)));
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, t.toArray());
    }

    @Test
    void readsVersionsTwoAndThreeAndAnyKeyOrder() throws IOException {
        String reordered = "{'shape': (4,), 'fortran_order': False, 'descr': '<f4'}";
        assertArrayEquals(new int[] {4}, NpyFiles.read(write(npy(2, reordered, 4))).shape());
        assertArrayEquals(new int[] {4}, NpyFiles.read(write(npy(3, reordered, 4))).shape());
        assertArrayEquals(new int[] {}, NpyFiles.read(write(npy(1,
                "{'descr': '<f4', 'fortran_order': False, 'shape': ()}", 1))).shape());
    }

    @Test
    void aMissingFileIsNamed() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> NpyFiles.read(dir.resolve("absent.npy")));
        assertTrue(e.getMessage().contains("no such file") && e.getMessage().contains("absent.npy"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"'<f8'", "'>f4'", "'<i4'", "'|u1'"})
    void anotherTypeIsRefusedWithTheFix(String descr) throws IOException {
        Path file = write(npy(1, "{'descr': " + descr + ", 'fortran_order': False, 'shape': (6,), }", 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(file));
        assertTrue(e.getMessage().contains(descr) && e.getMessage().contains("dtype='<f4'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f4', 'fortran_order': True, 'shape': (6,), }",
        "{'descr': '<f4', 'shape': (6,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'extra': 1, }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'shape': (6,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (6,) 'x'}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 6), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-6,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (6.0,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }",
        "'descr': '<f4', 'fortran_order': False, 'shape': (6,)",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (7,), }",
    })
    void aMalformedHeaderOrAWrongLengthIsRefused(String header) throws IOException {
        Path file = write(npy(1, header, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void theSizeLimitIsCheckedAgainstTheHeaderBeforeReading() throws IOException {
        // a header announcing 2^30 values over 24 bytes of data: refused without allocating
        Path file = write(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (32768, 32768), }", 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(file));
        assertTrue(e.getMessage().contains("at most " + NpyFiles.DEFAULT_MAX_VALUES), e.getMessage());
        Path small = write(npy(1, NUMPY_2X3, 6));
        e = assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(small, 5));
        assertTrue(e.getMessage().contains("holds 6 values; at most 5"), e.getMessage());
    }

    @Test
    void notANpyFileOrATruncatedOneIsRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("a.npy"), "hello, not numpy");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(text)).getMessage()
                .contains("\\x93NUMPY"));
        byte[] whole = npy(1, NUMPY_2X3, 6);
        Path cut = write(java.util.Arrays.copyOf(whole, 20));
        assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(cut));
        byte[] version9 = whole.clone();
        version9[6] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NpyFiles.read(write(version9))).getMessage()
                .contains("version 9"));
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "array", ".npy"), bytes);
    }

    /** @return a .npy file of the given version and header dict, followed by {@code values} floats 0, 0.5, 1, ... */
    static byte[] npy(int version, String dict, int values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int preamble = version == 1 ? 10 : 12;
        int total = (preamble + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - preamble - dict.length() - 1) + "\n";
        ByteBuffer head = ByteBuffer.allocate(preamble).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            head.putShort((short) header.length());
        } else {
            head.putInt(header.length());
        }
        out.writeBytes(head.array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = ByteBuffer.allocate(4 * values).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values; i++) {
            data.putFloat(i * 0.5f);
        }
        out.writeBytes(data.array());
        assertEquals(total + 4 * values, out.size());
        return out.toByteArray();
    }
}
