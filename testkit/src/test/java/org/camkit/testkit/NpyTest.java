package org.camkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** Writes what {@code np.save} writes for a float32 array: version 1, header padded to 64 bytes. */
    private Path write(String name, String descr, String shape, float[] values, int drop) throws Exception {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int padded = ((10 + dict.length() + 1 + 63) / 64) * 64 - 10;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        out.write(data.array(), 0, data.capacity() - drop);
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void readsAFloat32ArrayWithItsShape() throws Exception {
        Tensor t = Npy.read(write("a.npy", "<f4", "(2, 3)", new float[] {1, 2, 3, 4.5f, -5, 6}, 0));
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f, -5, 6}, t.toArray());
        assertArrayEquals(new int[] {4}, Npy.read(write("b.npy", "<f4", "(4,)", new float[4], 0)).shape());
    }

    @Test
    void anotherTypeIsRefusedShowingTheHeader() throws Exception {
        Path file = write("d.npy", "<f8", "(2,)", new float[4], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("d.npy") && e.getMessage().contains("<f8"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefusedNamingWhatIsMissing() throws Exception {
        Path file = write("t.npy", "<f4", "(2, 2)", new float[4], 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
    }

    @Test
    void aFileThatIsNotNpyIsRefused() throws Exception {
        Path file = dir.resolve("x.npy");
        Files.writeString(file, "not numpy at all");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());
    }
}
